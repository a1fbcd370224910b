"""The system model: modules, import graph, components, entry points; also the architecture
rules a repository declares about its import graph (:mod:`~syspatterns.model.rules`)."""

from syspatterns.model.system import Dependency, SystemModel, build_model

__all__ = ["Dependency", "SystemModel", "build_model"]
