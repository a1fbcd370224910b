"""What every stage shares: evidence and findings, the document's outline, the problems a check
reports, the tool's version and the pause of the garbage collector around heavy work. It
imports nothing else of syspatterns.

Modules: :mod:`~syspatterns.core.evidence`, :mod:`~syspatterns.core.sections`,
:mod:`~syspatterns.core.problems`, :mod:`~syspatterns.core.version` and
:mod:`~syspatterns.core.collector`.
"""
