"""The document's structure, from the System Patterns template: twelve sections in order,
each with the sub-items (aspects) the template asks for."""

from __future__ import annotations

from typing import NamedTuple


class SectionSpec(NamedTuple):
    key: str
    title: str
    aspects: tuple[str, ...]  # the template's bullet sub-items, in order
    item: str = ""  # the template's repeated sub-heading ("Decision", "Pattern", ...)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("architecture", "System Architecture", ()),
    SectionSpec("decisions", "Key Technical Decisions",
                ("Decision", "Alternatives considered", "Rationale", "Implications"), "Decision"),
    SectionSpec("patterns", "Design Patterns", ("Purpose", "Implementation", "Location"),
                "Pattern"),
    SectionSpec("components", "Component Relationships",
                ("Responsibility", "Dependencies", "Dependents", "Interfaces"), "Component"),
    SectionSpec("data-flow", "Data Flow", ()),
    SectionSpec("error-handling", "Error Handling",
                ("Strategy", "Error types", "Recovery mechanisms")),
    SectionSpec("security", "Security Patterns",
                ("Authentication", "Authorization", "Data protection", "Other security measures")),
    SectionSpec("scalability", "Scalability Considerations",
                ("Horizontal scaling", "Vertical scaling", "Load balancing", "Caching")),
    SectionSpec("performance", "Performance Optimizations", ()),
    SectionSpec("testing", "Testing Strategy",
                ("Unit testing", "Integration testing", "End-to-end testing",
                 "Performance testing")),
    SectionSpec("deployment", "Deployment Architecture",
                ("Environment setup", "Deployment process", "Monitoring", "Rollback strategy")),
    SectionSpec("maintenance", "Maintenance Patterns",
                ("Logging", "Monitoring", "Alerting", "Debugging")),
)

SECTION_BY_KEY = {spec.key: spec for spec in SECTIONS}
