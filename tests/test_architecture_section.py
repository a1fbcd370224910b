"""The System Architecture section's layers and import cycles: every link of a small cycle,
the thinnest links of a large one, and the layer that holds a cycle."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers.architecture import (
    CYCLE_LINKS_SHOWN,
    EDGE_LIMIT,
    ArchitectureAnalyser,
)
from syspatterns.model import SystemModel


def cycle_claims(model: SystemModel, aspect: str = "Import cycles") -> list[str]:
    section = ArchitectureAnalyser().analyse(model)
    return [f.claim for f in section.findings if f.aspect == aspect]


def test_every_link_of_a_small_cycle_is_listed(
        analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({
        "alpha/__init__.py": "from beta import b\nfrom beta import c\n",
        "beta/__init__.py": "import alpha\nb = c = 1\n",
        "gamma/__init__.py": "import alpha\n",
    })
    assert cycle_claims(model) == [
        "Cycle among `alpha` and `beta`: `alpha` imports `beta` (2 imports); "
        "`beta` imports `alpha` (1 import)."]


def test_a_large_cycle_lists_its_links_with_the_fewest_imports(
        analyse_repo: Callable[..., SystemModel]) -> None:
    packages = ["p1", "p2", "p3", "p4", "p5"]
    files = {}
    for number, package in enumerate(packages, 1):
        # p1 imports each other package once, p2 twice, ...: 20 links in all.
        imports = "".join(f"import {other}\n" * number for other in packages if other != package)
        files[f"{package}/__init__.py"] = imports
    model = analyse_repo(files)
    [claim] = cycle_claims(model)
    assert claim.startswith(
        "Cycle among `p1`, `p2`, `p3`, `p4` and `p5` (20 links between them; "
        f"the {CYCLE_LINKS_SHOWN} with the fewest imports): "
        "`p1` imports `p2` (1 import); `p1` imports `p3` (1 import); "
        "`p1` imports `p4` (1 import); `p1` imports `p5` (1 import); "
        "`p2` imports `p1` (2 imports);")
    assert claim.count(" imports `") == CYCLE_LINKS_SHOWN == 12
    assert "(4 imports)" not in claim and "(5 imports)" not in claim


def test_links_made_only_inside_functions_are_told(
        analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({
        "alpha/__init__.py": "import beta\n",
        "beta/__init__.py": "def late():\n    import alpha\n    return alpha\n",
    })
    assert cycle_claims(model) == [
        "Cycle among `alpha` and `beta`: `alpha` imports `beta` (1 import); `beta` imports "
        "`alpha` (1 import, all inside functions)."]


def test_no_cycle_says_so(analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({"alpha/__init__.py": "import beta\n", "beta/__init__.py": ""})
    assert cycle_claims(model) == [
        "No import cycle between components was found (imports under `if TYPE_CHECKING:` "
        "do not count)."]


def test_layers_say_which_members_import_each_other(
        analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({
        "alpha/__init__.py": "import beta\n", "beta/__init__.py": "import alpha\n",
        "base/__init__.py": "", "top/__init__.py": "import alpha\nimport base\n",
    })
    assert cycle_claims(model, "Layers") == [
        "Layer 1, imports no other layer: `alpha`, `base` and `beta`; `alpha` and `beta` "
        "import each other (an import cycle).",
        "Layer 2, imports lower layers: `top`."]
    model = analyse_repo({"alpha/__init__.py": "import beta\n",
                          "beta/__init__.py": "import alpha\n"})
    assert cycle_claims(model, "Layers") == [
        "Layer 1, imports no other layer: `alpha` and `beta`; they import each other (an "
        "import cycle)."]


def test_a_crowded_diagram_draws_the_strongest_dependencies(
        analyse_repo: Callable[..., SystemModel]) -> None:
    # 10 packages, each importing the 9 others: 90 dependencies; p0 imports each twice
    files = {}
    for number in range(10):
        imports = "".join(f"import p{other}\n" * (2 if number == 0 else 1)
                          for other in range(10) if other != number)
        files[f"p{number}/__init__.py"] = imports
    section = ArchitectureAnalyser().analyse(analyse_repo(files))
    [diagram] = section.diagrams
    drawn = [line for line in diagram.mermaid.splitlines() if "-->" in line]
    assert EDGE_LIMIT <= len(drawn) < 90
    assert sum("|2|" in line for line in drawn) == 9  # p0's, the heaviest, all kept
    assert f"{len(drawn)} of the 90 dependencies are drawn" in diagram.caption


def test_many_scripts_are_counted_per_folder(analyse_repo: Callable[..., SystemModel]) -> None:
    files = {f"scripts/job_{n}.py": "if __name__ == '__main__':\n    print(1)\n"
             for n in range(20)}
    files.update({"tools/one.py": "if __name__ == '__main__':\n    print(1)\n",
                  "app/__init__.py": "", "app/__main__.py": "print('app')\n"})
    claims = cycle_claims(analyse_repo(files), "Entry points")
    assert claims == [
        "python -m: `python -m app` runs `app.__main__`.",
        "main guard: `python tools/one.py` runs `one`.",
        "and 20 scripts run as `python FILE` (a main guard or top-level code) in folders of "
        "many: `scripts/` (20).",
    ]
    few = {f"scripts/job_{n}.py": "if __name__ == '__main__':\n    print(1)\n" for n in range(5)}
    assert len(cycle_claims(analyse_repo(few), "Entry points")) == 5  # listed one by one


def test_the_overview_counts_import_statements(analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({"alpha/__init__.py": "from beta import one, two, three\nimport beta\n"
                                               "import requests\nfrom typing import TYPE_CHECKING\n"
                                               "if TYPE_CHECKING:\n    import _typeshed, yaml\n",
                          "beta/__init__.py": "one = two = three = 1\n",
                          "tests/test_alpha.py": "import pytest\n"})
    overview = ArchitectureAnalyser().analyse(model).summary[0].claim
    assert "linked by 2 internal import statements" in overview
    assert overview.endswith("the code imports 1 third-party distribution.")  # requests
