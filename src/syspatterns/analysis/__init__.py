"""What the section analysers (:mod:`syspatterns.analysers`) and the pattern detectors
(:mod:`syspatterns.patterns`) share: the wording of findings (:mod:`~syspatterns.analysis.text`),
the code modules with name resolution through their imports
(:mod:`~syspatterns.analysis.source`), and what an analyser is
(:mod:`~syspatterns.analysis.base`)."""
