from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.start_run_body_effort import StartRunBodyEffort
from ..models.start_run_body_tools_item import StartRunBodyToolsItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.start_run_body_json_schema import StartRunBodyJsonSchema


T = TypeVar("T", bound="StartRunBody")


@_attrs_define
class StartRunBody:
    """
    Attributes:
        prompt (str):
        model (str | Unset):
        system (str | Unset):
        files (list[str] | Unset):
        timeout_secs (int | Unset):
        tools (list[StartRunBodyToolsItem] | Unset):
        json_schema (StartRunBodyJsonSchema | Unset): A JSON Schema object whose root has type "object".
        max_turns (int | Unset):
        max_budget_usd (float | Unset):
        effort (StartRunBodyEffort | Unset):
        fallback_model (str | Unset):
        append_system (str | Unset):
    """

    prompt: str
    model: str | Unset = UNSET
    system: str | Unset = UNSET
    files: list[str] | Unset = UNSET
    timeout_secs: int | Unset = UNSET
    tools: list[StartRunBodyToolsItem] | Unset = UNSET
    json_schema: StartRunBodyJsonSchema | Unset = UNSET
    max_turns: int | Unset = UNSET
    max_budget_usd: float | Unset = UNSET
    effort: StartRunBodyEffort | Unset = UNSET
    fallback_model: str | Unset = UNSET
    append_system: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model = self.model

        system = self.system

        files: list[str] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = self.files

        timeout_secs = self.timeout_secs

        tools: list[str] | Unset = UNSET
        if not isinstance(self.tools, Unset):
            tools = []
            for tools_item_data in self.tools:
                tools_item = tools_item_data.value
                tools.append(tools_item)

        json_schema: dict[str, Any] | Unset = UNSET
        if not isinstance(self.json_schema, Unset):
            json_schema = self.json_schema.to_dict()

        max_turns = self.max_turns

        max_budget_usd = self.max_budget_usd

        effort: str | Unset = UNSET
        if not isinstance(self.effort, Unset):
            effort = self.effort.value

        fallback_model = self.fallback_model

        append_system = self.append_system

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if system is not UNSET:
            field_dict["system"] = system
        if files is not UNSET:
            field_dict["files"] = files
        if timeout_secs is not UNSET:
            field_dict["timeout_secs"] = timeout_secs
        if tools is not UNSET:
            field_dict["tools"] = tools
        if json_schema is not UNSET:
            field_dict["json_schema"] = json_schema
        if max_turns is not UNSET:
            field_dict["max_turns"] = max_turns
        if max_budget_usd is not UNSET:
            field_dict["max_budget_usd"] = max_budget_usd
        if effort is not UNSET:
            field_dict["effort"] = effort
        if fallback_model is not UNSET:
            field_dict["fallback_model"] = fallback_model
        if append_system is not UNSET:
            field_dict["append_system"] = append_system

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.start_run_body_json_schema import StartRunBodyJsonSchema  # noqa: PLC0415

        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model", UNSET)

        system = d.pop("system", UNSET)

        files = cast(list[str], d.pop("files", UNSET))

        timeout_secs = d.pop("timeout_secs", UNSET)

        _tools = d.pop("tools", UNSET)
        tools: list[StartRunBodyToolsItem] | Unset = UNSET
        if _tools is not UNSET:
            tools = []
            for tools_item_data in _tools:
                tools_item = StartRunBodyToolsItem(tools_item_data)

                tools.append(tools_item)

        _json_schema = d.pop("json_schema", UNSET)
        json_schema: StartRunBodyJsonSchema | Unset
        if isinstance(_json_schema, Unset):
            json_schema = UNSET
        else:
            json_schema = StartRunBodyJsonSchema.from_dict(_json_schema)

        max_turns = d.pop("max_turns", UNSET)

        max_budget_usd = d.pop("max_budget_usd", UNSET)

        _effort = d.pop("effort", UNSET)
        effort: StartRunBodyEffort | Unset
        if isinstance(_effort, Unset):
            effort = UNSET
        else:
            effort = StartRunBodyEffort(_effort)

        fallback_model = d.pop("fallback_model", UNSET)

        append_system = d.pop("append_system", UNSET)

        start_run_body = cls(
            prompt=prompt,
            model=model,
            system=system,
            files=files,
            timeout_secs=timeout_secs,
            tools=tools,
            json_schema=json_schema,
            max_turns=max_turns,
            max_budget_usd=max_budget_usd,
            effort=effort,
            fallback_model=fallback_model,
            append_system=append_system,
        )

        return start_run_body
