"""OpenAPI links between the API's operations, added to the generated schema.

A link says how a value in one answer feeds the next call: the contract list gives the
references of the contract endpoints, a contract its events, statistics and KPIs, and a
created or replaced event the address of that event. The docs (/api/docs/) show them next
to each answer, and schemathesis follows them to chain calls (stateful fuzzing).

The links are derived from the paths, so a new collection gets them without changes here:
for a collection ``…/things/`` with items at ``…/things/{key}/``,

- listing the collection links to the item of the first result (``results/0/key``);
- creating in the collection (POST) links to every operation on the created item;
- replacing or changing anything (PUT, PATCH) links back to reading it (GET on the same path);
- reading an item links to the operations under it that are not items of a sub-collection
  (the contract's events lists, its compliance and its KPIs).

Only operations present in the schema are linked.
"""

from __future__ import annotations

import re

ITEM_METHODS = ("get", "put", "patch", "delete")
METHODS = ("get", "put", "patch", "post", "delete")
SUCCESS = ("200", "201")
_PARAMETER = re.compile(r"\{(\w+)\}")


def _item_key(path: str, collection: str) -> str | None:
    """The parameter of ``path`` if it is an item of ``collection`` (``collection/{key}/``)."""
    rest = path[len(collection) :] if path.startswith(collection) else ""
    match = re.fullmatch(r"\{(\w+)\}/", rest)
    return match.group(1) if match else None


def _operations(paths: dict, path: str, methods=METHODS) -> list[tuple[str, dict]]:
    return [(method, paths[path][method]) for method in methods if method in paths.get(path, {})]


def _add(operation: dict, codes, name: str, link: dict) -> None:
    for code in codes:
        response = operation.get("responses", {}).get(str(code))
        if response is not None and "$ref" not in response:
            response.setdefault("links", {})[name] = link


def _link(target: dict, parameters: dict, description: str) -> dict | None:
    operation_id = target.get("operationId")
    if not operation_id:
        return None
    return {"operationId": operation_id, "parameters": parameters, "description": description}


def _from_request(path: str) -> dict:
    """The path parameters of ``path``, passed on as the request had them."""
    return {name: f"$request.path.{name}" for name in _PARAMETER.findall(path)}


def _collection_links(paths: dict, collection: str, item: str, key: str) -> None:
    inherited = _from_request(collection)
    for _method, listing in _operations(paths, collection, ("get",)):
        for _m, target in _operations(paths, item, ("get",)):
            link = _link(
                target,
                {**inherited, key: f"$response.body#/results/0/{key}"},
                f"The first {key} of the page.",
            )
            if link:
                _add(listing, ("200",), target["operationId"], link)
    for _method, create in _operations(paths, collection, ("post",)):
        for _m, target in _operations(paths, item, ITEM_METHODS):
            link = _link(
                target,
                {**inherited, key: f"$response.body#/{key}"},
                "The object just recorded (a single object; a list answers with counts only).",
            )
            if link:
                _add(create, SUCCESS, target["operationId"], link)


def _change_links(paths: dict, path: str) -> None:
    """From replacing or changing what ``path`` names to reading it."""
    for _method, change in _operations(paths, path, ("put", "patch")):
        for _m, target in _operations(paths, path, ("get",)):
            link = _link(target, _from_request(path), "As stored now.")
            if link:
                _add(change, SUCCESS, target["operationId"], link)


def _sub_operation_links(paths: dict, item: str, collections: set[str]) -> None:
    """From reading ``item`` to the operations under it, except items of its sub-collections."""
    parameters = _from_request(item)
    for _method, read in _operations(paths, item, ("get",)):
        for path in sorted(paths):
            if path == item or not path.startswith(item):
                continue
            if any(_item_key(path, collection) for collection in collections if collection != item):
                continue
            for _m, target in _operations(paths, path):
                link = _link(target, dict(parameters), "Under this object.")
                if link:
                    _add(read, ("200",), target["operationId"], link)


def add_links(result, generator, request, public):
    """drf-spectacular postprocessing hook: add ``links`` to the success responses."""
    paths = result.get("paths", {})
    collections = set()
    items = []
    for collection in sorted(paths):
        for path in paths:
            key = _item_key(path, collection)
            if key:
                collections.add(collection)
                items.append(path)
                _collection_links(paths, collection, path, key)
    for item in items:
        _sub_operation_links(paths, item, collections)
    for path in paths:
        _change_links(paths, path)
    return result
