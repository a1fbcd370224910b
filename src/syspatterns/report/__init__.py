"""``syspatterns report``: the document as one self-contained HTML page, with the component
graph laid out as SVG and the findings of the document check.

Modules: :mod:`~syspatterns.report.html` (the page) and
:mod:`~syspatterns.report.component_graph` (the graph's layout); ``report.css`` and
``report.js`` are inlined into the page.
"""
