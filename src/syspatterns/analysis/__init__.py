"""What the section analysers and the pattern detectors share: the wording of findings, the
code modules with name resolution through their imports, and what an analyser is.

Modules: :mod:`~syspatterns.analysis.text`, :mod:`~syspatterns.analysis.source` and
:mod:`~syspatterns.analysis.base`; used by :mod:`syspatterns.analysers` and
:mod:`syspatterns.patterns`, which sit above this package.
"""
