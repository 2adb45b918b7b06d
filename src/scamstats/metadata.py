"""Metadata for archives and dataset search engines, generated from `datapackage.json` and
`CITATION.cff` (never written by hand):

- `.zenodo.json`: the deposit record Zenodo reads when a GitHub release is archived (title,
  version, date, creators, description, keywords, licence, related identifiers), so that a
  release gets a DOI with the same facts as the package;
- `datapackage.jsonld`: a schema.org `Dataset` (JSON-LD) for the codebook page, which search
  engines that index datasets read from a `<script type="application/ld+json">` element.

Both are written into the release; `scamstats metadata zenodo|jsonld` prints them.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from scamstats import cite
from scamstats.package import Package
from scamstats.paths import REPO_DIR
from scamstats.reference import BBOX
from scamstats.stats import table_coverage

CITATION_FILE = "CITATION.cff"
ZENODO_NAME = ".zenodo.json"
JSONLD_NAME = "datapackage.jsonld"
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}


def read_citation_file(repo_dir: Path = REPO_DIR) -> dict:
    """Return the parsed CITATION.cff of the repository (empty when there is none)."""
    path = Path(repo_dir) / CITATION_FILE
    if not path.is_file():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def _person_name(author: dict) -> str:
    if author.get("name"):
        return str(author["name"])
    family, given = author.get("family-names", ""), author.get("given-names", "")
    return f"{family}, {given}" if family and given else family or given


def creators(citation: dict, package: Package) -> list[dict]:
    """Return the creators as Zenodo wants them ({name, affiliation?, orcid?}): CITATION.cff's
    authors, else the descriptor's contributors with the role 'creator'."""
    people = []
    for author in citation.get("authors") or []:
        person = {"name": _person_name(author)}
        if author.get("affiliation"):
            person["affiliation"] = str(author["affiliation"])
        if author.get("orcid"):
            person["orcid"] = str(author["orcid"]).rsplit("/", 1)[-1]
        people.append(person)
    if not people:
        people = [{"name": c.get("title", "")} for c in package.descriptor.get("contributors", [])
                  if "creator" in c.get("roles", ["creator"])]
    return people or [{"name": cite.AUTHOR}]


def _keywords(citation: dict, package: Package) -> list[str]:
    return list(dict.fromkeys([*package.descriptor.get("keywords", []), *(citation.get("keywords") or [])]))


def _licence(package: Package) -> dict:
    licences = package.descriptor.get("licenses") or [{}]
    return licences[0]


def _release_date(citation: dict, package: Package) -> str:
    released = citation.get("date-released")
    return str(released) if released else str(package.descriptor.get("created", ""))[:10]


def zenodo_record(package: Package, citation: dict) -> dict:
    """Return the `.zenodo.json` deposit record of the package."""
    descriptor = package.descriptor
    homepage = descriptor.get("homepage", cite.DEFAULT_HOMEPAGE)
    repository = citation.get("repository-code")
    related = [{"identifier": repository, "relation": "isSupplementedBy", "resource_type": "software"}] \
        if repository else []
    if homepage and homepage != repository:
        related.append({"identifier": homepage, "relation": "isDocumentedBy", "resource_type": "publication-other"})
    record = {
        "upload_type": "dataset",
        "title": citation.get("title") or descriptor.get("title", ""),
        "version": package.version,
        "publication_date": _release_date(citation, package),
        "description": descriptor.get("description", ""),
        "creators": creators(citation, package),
        "keywords": _keywords(citation, package),
        "license": str(citation.get("license") or _licence(package).get("name", "")).lower(),
        "access_right": "open",
        "related_identifiers": related,
        "notes": citation.get("message", ""),
    }
    if citation.get("doi"):
        record["doi"] = str(citation["doi"])
    return record


def temporal_coverage(package: Package) -> str:
    """Return 'first/last' (ISO dates) over every resource's dated rows except the sources'."""
    coverage = table_coverage(package)
    coverage = coverage.filter((coverage["resource"] != "sources") & coverage["first_date"].is_not_null())
    if not coverage.height:
        return ""
    return f"{coverage['first_date'].min().isoformat()}/{coverage['last_date'].max().isoformat()}"


def _variables(package: Package) -> list[dict]:
    variables = []
    for resource in package.descriptor["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            variable = {"@type": "PropertyValue", "name": f"{resource['name']}.{field['name']}",
                        "description": field.get("description", "")}
            if field.get("unit"):
                variable["unitText"] = field["unit"]
            variables.append(variable)
    return variables


def _distribution(package: Package, extra: list[tuple[str, str, str]]) -> list[dict]:
    files = [(r["path"], r.get("mediatype") or MEDIA_TYPES.get(r.get("format", ""), ""), r.get("title", r["name"]))
             for r in package.descriptor["resources"]]
    return [{"@type": "DataDownload", "name": title, "contentUrl": path, "encodingFormat": media}
            for path, media, title in [("datapackage.json", "application/json", "Data Package descriptor"),
                                       *files, *extra]]


def dataset_jsonld(package: Package, citation: dict, extra_files: list[tuple[str, str, str]] = ()) -> dict:
    """Return the schema.org `Dataset` of the package as JSON-LD. `contentUrl`s are relative to
    the release folder; `extra_files` adds (path, media type, name) downloads."""
    descriptor = package.descriptor
    licence = _licence(package)
    sources = package.tables.get("sources")
    languages = sorted(sources["language"].drop_nulls().unique()) if sources is not None and "language" in sources.columns else []
    document = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": descriptor.get("title", descriptor.get("name", "")),
        "alternateName": descriptor.get("name", ""),
        "description": descriptor.get("description", ""),
        "version": package.version,
        "url": descriptor.get("homepage", cite.DEFAULT_HOMEPAGE),
        "license": licence.get("path", licence.get("name", "")),
        "keywords": _keywords(citation, package),
        "creator": [{"@type": "Organization", "name": c["name"]} for c in creators(citation, package)],
        "datePublished": _release_date(citation, package),
        "isAccessibleForFree": True,
        "inLanguage": languages,
        "creditText": cite.package_citation(package),
        "spatialCoverage": {
            "@type": "Place", "name": "Cambodia",
            "geo": {"@type": "GeoShape",
                    "box": f"{BBOX['lat_min']} {BBOX['lon_min']} {BBOX['lat_max']} {BBOX['lon_max']}"},
        },
        "temporalCoverage": temporal_coverage(package),
        "variableMeasured": _variables(package),
        "distribution": _distribution(package, list(extra_files)),
    }
    if citation.get("doi"):
        document["identifier"] = f"https://doi.org/{citation['doi']}"
    return document


def json_bytes(document: dict) -> bytes:
    """Return a document as indented UTF-8 JSON with a final newline (stable key order)."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
