"""Words that decide how a hand-written document is read, as data.

Hedges mark text that states a plan, an alternative or a concept rather than what the code
does now; claims under them are checked but reported apart from errors. The other tables
keep ordinary words and product names from being mistaken for names in the code.
Patterns are regular expressions matched against case-folded text.
"""

from __future__ import annotations

import re

# Plans, proposals, concepts, alternatives and things no longer there, in several languages.
HEDGE_PATTERNS: tuple[str, ...] = (
    # English
    r"\bplanned\b", r"\bplanning\b", r"\bplans? to\b", r"\bfuture\b", r"\bpropos(?:ed|al|e)\b",
    r"\bto be (?:determined|decided|defined|implemented|added|done|built|created|written|"
    r"designed|confirmed)\b",
    r"\btbd\b", r"\btodo\b", r"\bnot yet\b", r"\bimplied\b", r"\bconceptual(?:ly)?\b",
    r"\broadmap\b", r"\bupcoming\b", r"\bwill\b", r"\bwould\b", r"\bcould\b", r"\bmight\b",
    r"\bshould\b", r"\bconsider(?:ed|ing)?\b", r"\boptional(?:ly)?\b", r"\beventually\b",
    r"\bnext steps?\b", r"\bnot implemented\b", r"\bunimplemented\b", r"\bpending\b",
    r"\bdraft\b", r"\bidea(?:s)?\b", r"\bbacklog\b", r"\bdeferred\b", r"\bintended\b",
    r"\baspirational\b", r"\bexpected to\b", r"\bhypothetical\b", r"\bwish ?list\b",
    r"\balternatives?\b", r"\binstead of\b", r"\brather than\b", r"\breplaced\b",
    r"\bdeprecated\b", r"\blegacy\b", r"\bremoved\b", r"\bformerly\b", r"\bpreviously\b",
    r"\bno longer\b", r"\bnot used\b", r"\bversus\b", r"\bvs\.?(?=\s)",
    # Turkish (diacritics are removed before matching)
    r"\bplanla", r"\bgelecek", r"\bileride\b", r"\boneril", r"\bolacak", r"\bdusunul",
    r"\btaslak\b", r"\byapilacak", r"\bopsiyonel\b",
    # Russian
    r"план", r"будущ", r"будет", r"предлага", r"перспектив", r"не реализован",
    r"опционал",
    # Spanish, Portuguese, Italian
    r"\bplanificad", r"\bplanead", r"\bplanejad", r"\bfutur[oa]s?\b", r"\bpropuest",
    r"\bpropost", r"\bprevist", r"\bpendiente\b", r"\bpendente\b",
    # German, French
    r"\bgeplant\b", r"\bzukunftig", r"\bkunftig", r"\bvorgeschlagen\b",
    r"\bprevu", r"\bpropose\b", r"\benvisage",
    # Japanese, Chinese (no word boundaries in these scripts)
    r"予定", r"将来", r"想定", r"検討", r"計画", r"今後", r"未実装",
    r"计划", r"未来", r"建议", r"预计", r"待实现",
)
HEDGE = re.compile("|".join(f"(?:{p})" for p in HEDGE_PATTERNS))

# Words that name a library but are ordinary words too: mentioned bare in prose they are
# not taken as library claims, and in backticks only where the line speaks of libraries.
COMMON_WORDS = frozenset({
    "arrow", "attrs", "backoff", "behave", "black", "bottle", "build", "cement", "click",
    "confuse", "dash", "dataset", "docker", "emails", "emoji", "fabric", "falcon", "fire",
    "flower", "halo", "hatch", "hug", "invoke", "limits", "locust", "luigi", "mock",
    "motor", "pecan", "pony", "prefect", "prophet", "pyramid", "ray", "records", "redis",
    "reflex", "regex", "requests", "retry", "returns", "rich", "safety", "schema", "secure",
    "sh", "six", "stamina", "stripe", "tables", "textual", "tornado", "twine", "wheel",
    "schedule", "yarl", "slugify", "toolz", "responses", "environs", "jinja",
    "markdown", "python", "pip", "json", "yaml", "toml", "http", "sql", "html", "css",
    "server", "client", "cache", "queue", "worker", "logger", "config", "settings", "test",
    "tests", "app", "api", "core", "utils", "main", "models", "views", "routes",
})
LIBRARY_CONTEXT = re.compile(
    r"librar|package|dependenc|framework|\bsdk\b|toolkit|\bclient\b|\bdriver\b|\borm\b|"
    r"pip install|requirements|ライブラリ|パッケージ|библиотек|пакет|фреймворк|kutuphane|"
    r"\bpaket|bibliotec|pacote|bibliothek", re.IGNORECASE)

# Products, languages and services written like class names (``GitHub``, ``PostgreSQL``):
# in backticks they are not claims about the code's classes.
PRODUCT_NAMES = frozenset(name.casefold() for name in (
    "GitHub", "GitLab", "BitBucket", "JavaScript", "TypeScript", "CoffeeScript", "PostgreSQL",
    "MySQL", "MariaDB", "MongoDB", "SQLite", "GraphQL", "WebSocket", "WebSockets", "OAuth",
    "OAuth2", "OpenAPI", "OpenID", "YouTube", "LinkedIn", "PyPI", "PyTorch", "TensorFlow",
    "NumPy", "SciPy", "OpenAI", "ChatGPT", "DeepSeek", "LangChain", "LlamaIndex",
    "HuggingFace", "VSCode", "JetBrains", "PyCharm", "DynamoDB", "BigQuery", "CloudWatch",
    "CloudFormation", "CloudFront", "ElasticSearch", "OpenSearch", "RabbitMQ", "ZeroMQ",
    "WebDriver", "ESLint", "TailwindCSS", "NextJS", "NodeJS", "DevOps", "MLOps", "GitOps",
    "CircleCI", "TravisCI", "PyQt", "PySide", "PyInstaller", "CamelCase", "PascalCase",
    "JSONSchema", "WebAssembly", "MacOS", "iOS", "iPadOS", "WhatsApp", "TikTok", "ClickHouse",
    "CockroachDB", "TimescaleDB", "InfluxDB", "CouchDB", "DuckDB", "LanceDB", "ChromaDB",
    "PgBouncer", "NoSQL", "MiniIO", "MinIO", "GoogleCloud", "AppEngine", "FireBase",
    "FireStore", "SendGrid", "MailChimp", "PayPal", "DataDog", "NewRelic", "PagerDuty",
    "OpenTelemetry", "JupyterLab", "VirtualEnv", "PowerShell", "CodeQL", "DependaBot",
    "SonarQube", "SonarCloud", "HashiCorp", "LocalStack", "ServiceNow", "SharePoint",
    "OneDrive", "DropBox", "GoogleDrive", "OpenRouter", "AutoGen", "CrewAI", "LangGraph",
    "LangSmith", "FastMCP", "ModelContextProtocol", "McpServer", "ClaudeCode", "RooCode",
))

# Extensions that make a token a repository path when it is written without a folder.
CODE_EXTENSIONS = frozenset({
    "py", "pyi", "pyx", "toml", "cfg", "ini", "yml", "yaml", "json", "txt", "md", "rst",
    "sh", "bash", "ps1", "bat", "js", "mjs", "cjs", "ts", "tsx", "jsx", "vue", "svelte",
    "html", "htm", "jinja", "j2", "css", "scss", "sql", "lock", "proto", "graphql", "go",
    "rs", "java", "kt", "rb", "php", "c", "h", "cpp", "hpp", "cs", "swift", "ipynb", "mako",
    "tf", "hcl", "conf", "xml", "mk", "dockerfile", "example", "sample", "template", "in",
})
# Files named by a leading dot only (``.gitignore``); ``.category2`` is a CSS class.
DOTFILES = frozenset({
    ".gitignore", ".gitattributes", ".gitmodules", ".dockerignore", ".editorconfig",
    ".flake8", ".pylintrc", ".coveragerc", ".python-version", ".nvmrc", ".npmrc", ".envrc",
    ".pypirc", ".prettierrc", ".eslintrc", ".babelrc", ".gitlab-ci.yml", ".env.example",
    ".env.sample", ".env.template", ".env.local", ".env.test",
})
# File names without an extension that are still files of a repository.
BARE_FILE_NAMES = frozenset({
    "Dockerfile", "Makefile", "Procfile", "Justfile", "Vagrantfile", "Jenkinsfile",
    "LICENSE", "README", "CHANGELOG", "CODEOWNERS", "Pipfile", "Gemfile", "Containerfile",
})
