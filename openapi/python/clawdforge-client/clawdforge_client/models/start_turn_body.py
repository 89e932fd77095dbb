from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.start_turn_body_effort import StartTurnBodyEffort
from ..types import UNSET, Unset

T = TypeVar("T", bound="StartTurnBody")


@_attrs_define
class StartTurnBody:
    """
    Attributes:
        prompt (str):
        files (list[str] | Unset):
        timeout_secs (int | Unset):
        max_turns (int | Unset):
        max_budget_usd (float | Unset):
        effort (StartTurnBodyEffort | Unset):
    """

    prompt: str
    files: list[str] | Unset = UNSET
    timeout_secs: int | Unset = UNSET
    max_turns: int | Unset = UNSET
    max_budget_usd: float | Unset = UNSET
    effort: StartTurnBodyEffort | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        files: list[str] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = self.files

        timeout_secs = self.timeout_secs

        max_turns = self.max_turns

        max_budget_usd = self.max_budget_usd

        effort: str | Unset = UNSET
        if not isinstance(self.effort, Unset):
            effort = self.effort.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if files is not UNSET:
            field_dict["files"] = files
        if timeout_secs is not UNSET:
            field_dict["timeout_secs"] = timeout_secs
        if max_turns is not UNSET:
            field_dict["max_turns"] = max_turns
        if max_budget_usd is not UNSET:
            field_dict["max_budget_usd"] = max_budget_usd
        if effort is not UNSET:
            field_dict["effort"] = effort

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        files = cast(list[str], d.pop("files", UNSET))

        timeout_secs = d.pop("timeout_secs", UNSET)

        max_turns = d.pop("max_turns", UNSET)

        max_budget_usd = d.pop("max_budget_usd", UNSET)

        _effort = d.pop("effort", UNSET)
        effort: StartTurnBodyEffort | Unset
        if isinstance(_effort, Unset):
            effort = UNSET
        else:
            effort = StartTurnBodyEffort(_effort)

        start_turn_body = cls(
            prompt=prompt,
            files=files,
            timeout_secs=timeout_secs,
            max_turns=max_turns,
            max_budget_usd=max_budget_usd,
            effort=effort,
        )

        return start_turn_body
