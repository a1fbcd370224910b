"""What every stage shares: evidence and findings, the document's outline, the problems a check
reports and the tool's version. It imports nothing else of syspatterns.

Modules: :mod:`~syspatterns.core.evidence`, :mod:`~syspatterns.core.sections`,
:mod:`~syspatterns.core.problems` and :mod:`~syspatterns.core.version`.
"""
