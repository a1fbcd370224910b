"""The document on disk: where a repository keeps it, its Markdown read line by line, generated
blocks between markers, human text kept, atomic writes. Whether what it says is true is
:mod:`syspatterns.check`'s question."""
