"""The system model: modules, import graph, components, entry points, and the architecture
rules a repository declares about its imports. The rules are read and checked in
:mod:`~syspatterns.model.rules`."""

from syspatterns.model.system import Dependency, SystemModel, build_model

__all__ = ["Dependency", "SystemModel", "build_model"]
