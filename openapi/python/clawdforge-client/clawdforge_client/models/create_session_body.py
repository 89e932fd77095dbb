from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.create_session_body_tools_item import CreateSessionBodyToolsItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_session_body_json_schema import CreateSessionBodyJsonSchema


T = TypeVar("T", bound="CreateSessionBody")


@_attrs_define
class CreateSessionBody:
    """
    Attributes:
        model (str | Unset):
        system (str | Unset):
        append_system (str | Unset):
        tools (list[CreateSessionBodyToolsItem] | Unset):
        json_schema (CreateSessionBodyJsonSchema | Unset): A JSON Schema object whose root has type "object".
        ttl_secs (int | Unset):
    """

    model: str | Unset = UNSET
    system: str | Unset = UNSET
    append_system: str | Unset = UNSET
    tools: list[CreateSessionBodyToolsItem] | Unset = UNSET
    json_schema: CreateSessionBodyJsonSchema | Unset = UNSET
    ttl_secs: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        system = self.system

        append_system = self.append_system

        tools: list[str] | Unset = UNSET
        if not isinstance(self.tools, Unset):
            tools = []
            for tools_item_data in self.tools:
                tools_item = tools_item_data.value
                tools.append(tools_item)

        json_schema: dict[str, Any] | Unset = UNSET
        if not isinstance(self.json_schema, Unset):
            json_schema = self.json_schema.to_dict()

        ttl_secs = self.ttl_secs

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if model is not UNSET:
            field_dict["model"] = model
        if system is not UNSET:
            field_dict["system"] = system
        if append_system is not UNSET:
            field_dict["append_system"] = append_system
        if tools is not UNSET:
            field_dict["tools"] = tools
        if json_schema is not UNSET:
            field_dict["json_schema"] = json_schema
        if ttl_secs is not UNSET:
            field_dict["ttl_secs"] = ttl_secs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_session_body_json_schema import CreateSessionBodyJsonSchema  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model", UNSET)

        system = d.pop("system", UNSET)

        append_system = d.pop("append_system", UNSET)

        _tools = d.pop("tools", UNSET)
        tools: list[CreateSessionBodyToolsItem] | Unset = UNSET
        if _tools is not UNSET:
            tools = []
            for tools_item_data in _tools:
                tools_item = CreateSessionBodyToolsItem(tools_item_data)

                tools.append(tools_item)

        _json_schema = d.pop("json_schema", UNSET)
        json_schema: CreateSessionBodyJsonSchema | Unset
        if isinstance(_json_schema, Unset):
            json_schema = UNSET
        else:
            json_schema = CreateSessionBodyJsonSchema.from_dict(_json_schema)

        ttl_secs = d.pop("ttl_secs", UNSET)

        create_session_body = cls(
            model=model,
            system=system,
            append_system=append_system,
            tools=tools,
            json_schema=json_schema,
            ttl_secs=ttl_secs,
        )

        return create_session_body
