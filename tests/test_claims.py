"""Claims read from hand-written Markdown: every form the documents use, and what is not a
claim."""

from __future__ import annotations

import textwrap

import pytest

from syspatterns.check.claims import Claim, extract_claims, is_hedged, is_tree, tree_entries
from syspatterns.document.blocks import block
from syspatterns.document.markdown import read_markdown


def claims(text: str, libraries: frozenset[str] = frozenset()) -> list[Claim]:
    doc = read_markdown(textwrap.dedent(text))
    return extract_claims(doc, lambda word: word in libraries)


def found(text: str, libraries: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    return [(c.kind, c.text) for c in claims(text, libraries)]


@pytest.mark.parametrize(("span", "expected"), [
    ("`src/app/main.py`", [("path", "src/app/main.py")]),
    ("`app/services/`", [("path", "app/services/")]),
    ("`config.py:12`", [("path", "config.py")]),
    ("`modules/core/*.py`", [("path", "modules/core/")]),
    ("`.gitignore`", [("path", ".gitignore")]),
    ("`app.core.config`", [("name", "app.core.config")]),
    ("`PipelineRunner`", [("name", "PipelineRunner")]),
    ("`run_file()`", [("name", "run_file")]),
    ("`process(df, **kwargs)`", [("name", "process")]),
    ("`@hookimpl`", [("name", "hookimpl")]),
    ("`uvicorn app.main:app --reload`", [("name", "app.main.app")]),
    ("`python -m app.worker`", [("name", "app.worker")]),
    ("`pip install -r requirements.txt`", [("path", "requirements.txt")]),
    # Not claims: URLs, options, extensions, patterns with placeholders, code snippets.
    ("`https://example.com/a.py`", []),
    ("`--output-dir`", []),
    ("`.jpg`", []),
    ("`output/<name>.txt`", []),
    ("`x = load(path)`", []),
    ("`{url: [pdf_url]}`", []),
    ("`parsed_result['id']`", []),
    ("`/etc/app/config.yaml`", []),
    ("`../other-repo/x.py`", []),
])
def test_inline_code(span: str, expected: list[tuple[str, str]]) -> None:
    assert found(f"Uses {span} here.\n") == expected


def test_bare_paths_and_calls_in_prose() -> None:
    text = ("- **main.py**: entry point; logs go to logs/ and `x` to output.\n"
            "- Uses CI/CD, and/or read/write, Node.js and e.g. v1.2 but calls build_pipeline().\n"
            "- See [the settings](../src/app/settings.py) and [docs](https://x.org/a.py).\n")
    kinds = {(c.kind, c.text, c.form) for c in claims(text)}
    assert ("path", "main.py", "prose") in kinds
    assert ("path", "logs/", "prose") in kinds
    assert ("name", "build_pipeline", "prose") in kinds
    assert ("path", "../src/app/settings.py", "link") in kinds  # from the document's folder
    texts = {c.text for c in claims(text)}
    assert not texts & {"CI/CD", "and/or", "read/write", "Node.js", "v1.2", "a.py"}


def test_links_to_repository_files_are_paths_relative_to_the_document() -> None:
    assert [(c.text, c.form) for c in claims("See [config](app/config.py).\n")] == [
        ("app/config.py", "link")]


def test_library_words_need_the_caller_to_know_them() -> None:
    text = "Built with FastAPI and the pandas library; the requests flow through.\n"
    assert found(text, frozenset({"FastAPI", "pandas"})) == [
        ("library", "FastAPI"), ("library", "pandas")]
    assert found(text) == []


def test_library_words_written_like_common_words_need_library_context() -> None:
    libraries = frozenset({"pandas", "lxml"})
    assert found("Parsing with lxml.\n", libraries) == []
    assert found("Parsing with the lxml library.\n", libraries) == [("library", "lxml")]
    assert found("HTML解析: lxml ライブラリ\n", libraries) == [("library", "lxml")]


TREE = """\
```
my-project/
├── src/
│   ├── app/
│   │   ├── main.py        # entry point (planned)
│   │   └── api.py, models.py
│   └── utils/
├── tests/
│   └── other test files
└── README.md
```
"""


def test_directory_tree_paths_rooted_at_a_placeholder() -> None:
    tree = [c for c in claims(TREE) if c.form == "tree"]
    assert [(c.text, c.prefix, c.hedged) for c in tree] == [
        ("my-project/src/", "my-project/", False),
        ("my-project/src/app/", "my-project/", False),
        ("my-project/src/app/main.py", "my-project/", True),
        ("my-project/src/app/api.py", "my-project/", False),
        ("my-project/src/app/models.py", "my-project/", False),
        ("my-project/src/utils/", "my-project/", False),
        ("my-project/tests/", "my-project/", False),
        ("my-project/README.md", "my-project/", False),
    ]


def test_trees_with_short_branches_and_without_a_single_root() -> None:
    body = ("├─ api/", "│  ├─ routes.py", "│  └─ deps.py", "└─ core/", "   └─ config.py")
    assert is_tree(body)
    assert [e.path for e in tree_entries(body)] == [
        "api/", "api/routes.py", "api/deps.py", "core/", "core/config.py"]


def test_indented_trees_without_branches() -> None:
    body = ("app/", "  api/", "    routes.py", "  main.py")
    assert is_tree(body)
    assert [e.path for e in tree_entries(body)] == [
        "app/", "app/api/", "app/api/routes.py", "app/main.py"]


def test_box_diagrams_and_code_snippets() -> None:
    text = """\
    ```
    ┌──────────────┐     ┌─────────────┐
    │ api/routes.py│ ──► │ Service     │
    └──────────────┘     └─────────────┘
    ```

    ```python
    class OCRProcessor(ABC):
        def process_image(self, path: str) -> dict: ...
    ```
    """
    assert [(c.kind, c.text, c.form) for c in claims(text)] == [
        ("path", "api/routes.py", "diagram")]


def test_mermaid_node_labels_and_import_edges() -> None:
    text = """\
    ```mermaid
    graph TD
        init["pkg/__init__.py"] --> file["pkg/file.py"]
        file --> log[pkg/logging.py]
        file -- reads/writes --> store[(Storage)]
        cli[app.cli] -->|imports| core[app.core]
        User --> init
    ```
    """
    result = claims(text)
    imports = [(c.text, c.other) for c in result if c.kind == "import"]
    assert imports == [("pkg/__init__.py", "pkg/file.py"), ("pkg/file.py", "pkg/logging.py"),
                       ("app.cli", "app.core")]
    paths = sorted({c.text for c in result if c.kind == "path"})
    assert paths == ["pkg/__init__.py", "pkg/file.py", "pkg/logging.py"]


def test_unfenced_mermaid_graphs_are_read_too() -> None:
    text = "Modules:\n\ngraph LR\n    a[app/api.py] --> b[app/db.py]\n\nThe end.\n"
    assert [(c.kind, c.text, c.other) for c in claims(text) if c.kind == "import"] == [
        ("import", "app/api.py", "app/db.py")]


def test_class_and_sequence_diagrams() -> None:
    text = """\
    ```mermaid
    classDiagram
        class PluginSystem {
            +load_plugins()
        }
        BaseHost <|-- ContentExtractorHost
    ```

    ```mermaid
    sequenceDiagram
        participant CS as ContentSource
        participant U as User
        CS->>JQ: enqueue_job(url)
    ```
    """
    assert [(c.text, c.called) for c in claims(text)] == [
        ("PluginSystem", False), ("BaseHost", False), ("ContentExtractorHost", False),
        ("ContentSource", False), ("enqueue_job", True)]


def test_arrow_chains_name_code_shaped_items_only() -> None:
    text = "Flow: `UIState` → PipelineRunner → save_output → Excel file → done.\n"
    names = [c.text for c in claims(text) if c.form == "arrow"]
    assert names == ["PipelineRunner", "save_output"]


@pytest.mark.parametrize("text", [
    "### Planned modules\n\n- `app/jobs.py`\n",
    "- `app/jobs.py` (Implied)\n",
    "- `app/jobs.py` will hold the jobs.\n",
    "**Future:**\n\n- `app/jobs.py`\n",
    "- Use `attrs` instead of `pydantic`.\n",
    "### Gelecek planları\n\n- `app/jobs.py`\n",  # noqa: RUF001
    "- `app/jobs.py` を追加する予定\n",
    "- `app/jobs.py` планируется\n",
])
def test_hedged_text(text: str) -> None:
    assert all(c.hedged for c in claims(text))
    assert claims(text)


def test_hedges_around_a_diagram_cover_the_whole_diagram() -> None:
    text = ("```mermaid\ngraph TD\n  a[pkg/a.py] --> b[pkg/b.py]\n```\n"
            "*Note: the diagram shows the conceptual relationship.*\n\n- `pkg/c.py`\n")
    assert [(c.text, c.hedged) for c in claims(text)] == [
        ("pkg/a.py", True), ("pkg/a.py", True), ("pkg/b.py", True), ("pkg/c.py", False)]


def test_plain_statements_are_not_hedged() -> None:
    assert not is_hedged("The `Process` classes allow strategies to be applied to tasks.")
    assert not is_hedged("Tests live in `tests/` and use `pytest`; see `future_plans.py`.")


def test_generated_blocks_and_comments_are_not_read() -> None:
    text = (block("components", "Uses `app/gone.py`.") + "\n<!-- `app/comment.py` -->\n"
            "Mine: `app/kept.py`\n")
    assert found(text) == [("path", "app/kept.py")]


def test_numbered_and_bold_headings_give_line_numbers() -> None:
    text = "## 1\\. Overview\n\n**Modules**\n\n- `a/b.py`\n"
    assert [(c.line, c.text) for c in claims(text)] == [(5, "a/b.py")]
