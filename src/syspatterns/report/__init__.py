"""``syspatterns report``: the document as one self-contained HTML page
(:mod:`~syspatterns.report.html`), with the component graph laid out as SVG
(:mod:`~syspatterns.report.component_graph`) and the findings of the document check."""
