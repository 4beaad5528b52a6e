"""Parse untrusted XML (MusicXML) into an ElementTree with hostile input refused after bounded work.

The standard library's expat parser is used directly, with these guards, each named by a limit:

* a document that declares any entity (``<!ENTITY`` in its DOCTYPE) is refused: this closes
  the "billion laughs" expansion bomb and external entities (files or URLs pulled in by
  name). A plain DOCTYPE naming the public MusicXML DTD is fine: expat never fetches it;
* :data:`MAX_XML_BYTES` bounds the text, :data:`MAX_ELEMENTS` the elements and
  :data:`MAX_DEPTH` the nesting, so the tree built in memory stays small;
* each element remembers its source line (attribute :data:`LINE_ATTR`) so that errors found
  later can name the line.

``defusedxml`` does the same job but is not a dependency of the studio; the guards needed
for a tree of a few thousand elements fit in this module.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat

MAX_XML_BYTES = 16 * 2**20  # a lead sheet is ~50 KB and a full orchestral score a few MB
MAX_ELEMENTS = 1_000_000  # ~16 bytes of text per element at the size limit
MAX_DEPTH = 64  # MusicXML nests under 10 deep; deep nesting only serves to exhaust the stack
LINE_ATTR = "{studio}line"  # a namespaced name no MusicXML attribute can clash with


class XmlRefused(ValueError):
    """The XML is malformed or hostile; ``line`` is where it was noticed (0 when unknown)."""

    def __init__(self, reason: str, line: int = 0) -> None:
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


def parse_xml(data: bytes) -> ET.Element:
    """The root element of ``data``, every element carrying its line in :data:`LINE_ATTR`.

    Raises:
        XmlRefused: too large, malformed, declares entities, too many elements or too deep.
    """
    if len(data) > MAX_XML_BYTES:
        raise XmlRefused(f"the XML is {len(data) / 2**20:.0f} MB; over {MAX_XML_BYTES // 2**20} MB is refused")
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    builder = ET.TreeBuilder()
    state = {"elements": 0, "depth": 0}

    def refuse_entity(name: str, *_: object) -> None:
        raise XmlRefused(f"the document declares the entity {name!r}; MusicXML with entity "
                         "declarations is refused (they can expand without bound or read other files)",
                         parser.CurrentLineNumber)

    def start(tag: str, attrs: dict[str, str]) -> None:
        state["elements"] += 1
        state["depth"] += 1
        if state["elements"] > MAX_ELEMENTS:
            raise XmlRefused(f"more than {MAX_ELEMENTS} elements; refused", parser.CurrentLineNumber)
        if state["depth"] > MAX_DEPTH:
            raise XmlRefused(f"elements nested more than {MAX_DEPTH} deep; refused", parser.CurrentLineNumber)
        attrs[LINE_ATTR] = str(parser.CurrentLineNumber)
        builder.start(tag, attrs)

    def end(tag: str) -> None:
        state["depth"] -= 1
        builder.end(tag)

    def external(*_: object) -> int:
        raise XmlRefused("the document refers to an external entity; refused", parser.CurrentLineNumber)

    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise XmlRefused(f"not well-formed XML ({expat.ErrorString(exc.code)})", exc.lineno) from exc
    except RecursionError as exc:
        raise XmlRefused("elements nested too deeply; refused") from exc
    except (LookupError, UnicodeError) as exc:  # an encoding declaration Python does not know
        raise XmlRefused(f"the text's encoding cannot be read ({exc})", parser.CurrentLineNumber) from exc
    try:
        return builder.close()
    except AssertionError as exc:  # TreeBuilder's way of saying nothing was built
        raise XmlRefused("the document holds no element") from exc


def line_of(element: ET.Element) -> int:
    """The source line of an element built by :func:`parse_xml` (0 if unknown)."""
    try:
        return int(element.get(LINE_ATTR, "0"))
    except ValueError:
        return 0
