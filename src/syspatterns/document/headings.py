"""Which of the twelve sections a hand-written heading stands for.

Headings are matched after normalisation (no Markdown emphasis, numbering, emoji, diacritics
or parentheses; case-folded) against :data:`HEADING_PATTERNS`: an ordered table of
``(section key, pattern)``, most specific first, in several languages. The first pattern
found in the heading decides.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable

from syspatterns.document.markdown import BOLD_LEVEL, Heading

HEADING_PATTERNS: tuple[tuple[str, str], ...] = (
    # Specific phrases first: "Error Handling Patterns" is about errors, not patterns.
    ("decisions", r"\bdecisions?\b|\btechnical choices\b|\bkarar|決定|решени|\bdecision|"
                  r"\bdecisoes\b|\bentscheidung|\bchoix techniques\b|决策"),
    ("components", r"\bcomponents?\b|\brelationships?\b|\bbilesen|コンポーネント|компонент|"
                   r"\bcomponentes\b|\bkomponenten?\b|组件"),
    ("data-flow", r"\bdata ?flows?\b|\bflow of data\b|\bimplementation paths?\b|"
                  r"\brequest flow\b|\bprocessing flow\b|\bveri akisi\b|\bakis\b|"
                  r"データフロー|処理フロー|実装パス|поток данных|\bflujo de datos\b|"
                  r"\bfluxo de dados\b|\bdatenfluss\b|数据流"),
    ("error-handling", r"\berrors?\b|\bexceptions?\b|\bfailures?\b|\bhata|エラー|例外|ошиб|"
                       r"исключени|\berro(?:r|res)\b|\bfehler|\berreurs?\b|错误|异常"),
    ("security", r"\bsecurity\b|\bauth(?:entication|orization)?\b|\bguvenlik|セキュリティ|"
                 r"безопасност|\bseguridad\b|\bseguranca\b|\bsicherheit\b|\bsecurite\b|安全"),
    ("scalability", r"\bscal(?:ability|ing|able)\b|\bolcekle|スケーラビリティ|拡張性|"
                    r"масштаб|\bescalabilidad\b|\bescalabilidade\b|\bskalierbar|扩展"),
    ("performance", r"\bperformance\b|\boptimi[sz]ations?\b|\bperformans|パフォーマンス|性能|"
                    r"производительност|оптимизац|\brendimiento\b|\bdesempenho\b|"
                    r"\bleistung\b|优化"),
    ("testing", r"\btest(?:s|ing)?\b|テスト|тестир|\bpruebas?\b|\btestes?\b|测试"),
    ("deployment", r"\bdeploy(?:ment|ing)?\b|\binfrastructure\b|\bci ?/ ?cd\b|\bdagitim|"
                   r"\bkurulum\b|デプロイ|развертыв|развёртыв|\bdespliegue\b|\bimplantacao\b|"
                   r"\bbereitstellung\b|部署"),
    ("maintenance", r"\bmaintenance\b|\bmaintainability\b|\blogging\b|\bmonitoring\b|"
                    r"\bobservability\b|\bbakim\b|保守|運用|сопровожд|обслуживан|"
                    r"\bmantenimiento\b|\bmanutencao\b|\bwartung\b|维护"),
    ("patterns", r"\bdesign patterns?\b|\btasarim desen|設計パターン|паттерны проектирования|"
                 r"\bpatrones de diseno\b|\bpadroes de projeto\b|\bentwurfsmuster\b|设计模式"),
    ("architecture", r"\barchitect|\bmimari|アーキテクチャ|システム構成|архитектур|"
                     r"\barquitectura\b|\barquitetura\b|\barchitektur|\bsystem overview\b|"
                     r"\bsystem design\b|\bcode organi[sz]ation\b|\bproject structure\b|"
                     r"\bstructure\b|架构"),
    ("patterns", r"\bpatterns?\b|\bdesen|パターン|паттерн|шаблон|\bpatrones\b|\bpadroes\b|"
                 r"\bmuster\b|模式"),
)


def normalize(text: str) -> str:
    """Case-folded ``text`` without Markdown emphasis, numbering, diacritics, parentheses
    and symbols, for matching."""
    text = re.sub(r"[*_`~]+|\\", "", text)
    text = re.sub(r"\([^)]*\)|\uff08[^\uff09]*\uff09", " ", text)
    text = re.sub(r"^\s*(?:(?:\d+|[ivxIVX]+|[A-Za-z])[.)]\s*)+(?:\d+[.)]?\s*)*", "", text)
    text = re.sub(r"^\s*\d+(?:\.\d+)*\s+", "", text)
    text = _without_marks(text.replace("\u0131", "i").replace("\u0130", "I"))
    text = re.sub(r"[^\w\s/-]+", " ", text.casefold())
    return " ".join(text.split())


def _without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_COMPILED = tuple((key, re.compile(_without_marks(pattern))) for key, pattern in HEADING_PATTERNS)


def section_for(title: str) -> str | None:
    """The section key a heading's title stands for, or ``None``."""
    text = normalize(title)
    for key, pattern in _COMPILED:
        if pattern.search(text):
            return key
    return None


def section_level(headings: Iterable[Heading]) -> int:
    """The level at which a document's sections are written: the highest heading level, or
    the one below it when the highest is used once, as the document's title."""
    levels = [h.level for h in headings if h.level < BOLD_LEVEL]
    if not levels:
        return 2
    top = min(levels)
    deeper = [level for level in levels if level > top]
    if levels.count(top) == 1 and deeper:
        return min(deeper)
    return top


def assign_sections(headings: list[Heading]) -> dict[str, Heading]:
    """Section key -> the heading of a hand-written document that stands for it: the first
    matching heading at the document's section level; deeper headings are used for keys
    still unassigned when the section that holds them matches no key."""
    level = section_level(headings)
    titles = [h for h in headings if h.level == 1]
    if len(titles) == 1 and titles[0] is headings[0]:
        headings = headings[1:]  # the document's title names no section
    assigned: dict[str, Heading] = {}
    matched_parents: set[int] = set()
    for heading in headings:
        if heading.level == level:
            key = section_for(heading.title)
            if key is not None:
                matched_parents.add(heading.index)
                assigned.setdefault(key, heading)
    parent: Heading | None = None
    inside_until = -1  # index where the last deeper heading assigned ends its section
    for position, heading in enumerate(headings):
        if heading.level <= level:
            parent = heading
            continue
        if (heading.level >= BOLD_LEVEL or heading.index < inside_until
                or (parent and parent.index in matched_parents)):
            continue
        key = section_for(heading.title)
        if key is not None and key not in assigned:
            assigned[key] = heading
            inside_until = next((h.index for h in headings[position + 1:]
                                 if h.level <= heading.level), sys.maxsize)
    return assigned
