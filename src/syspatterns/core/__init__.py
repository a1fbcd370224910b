"""What every stage shares: the evidence and findings that make up a section
(:mod:`~syspatterns.core.evidence`), the document's outline (:mod:`~syspatterns.core.sections`),
the problems a check reports (:mod:`~syspatterns.core.problems`) and the tool's version
(:mod:`~syspatterns.core.version`). It imports nothing else of syspatterns."""
