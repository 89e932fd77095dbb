from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RunBody")


@_attrs_define
class RunBody:
    """
    Attributes:
        prompt (str):
        model (str | Unset):
        system (str | Unset):
        files (list[str] | Unset):
        timeout_secs (int | Unset):  Default: 120.
    """

    prompt: str
    model: str | Unset = UNSET
    system: str | Unset = UNSET
    files: list[str] | Unset = UNSET
    timeout_secs: int | Unset = 120

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model = self.model

        system = self.system

        files: list[str] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = self.files

        timeout_secs = self.timeout_secs

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model", UNSET)

        system = d.pop("system", UNSET)

        files = cast(list[str], d.pop("files", UNSET))

        timeout_secs = d.pop("timeout_secs", UNSET)

        run_body = cls(
            prompt=prompt,
            model=model,
            system=system,
            files=files,
            timeout_secs=timeout_secs,
        )

        return run_body
