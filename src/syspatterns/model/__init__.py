"""The system model: modules, import graph, components, entry points."""

from syspatterns.model.system import Dependency, SystemModel, build_model

__all__ = ["Dependency", "SystemModel", "build_model"]
