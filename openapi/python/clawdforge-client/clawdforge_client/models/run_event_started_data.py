from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RunEventStartedData")


@_attrs_define
class RunEventStartedData:
    """
    Attributes:
        model (None | str):
        session_id (None | str):
        cli_version (None | str):
    """

    model: None | str
    session_id: None | str
    cli_version: None | str

    def to_dict(self) -> dict[str, Any]:
        model: None | str
        model = self.model

        session_id: None | str
        session_id = self.session_id

        cli_version: None | str
        cli_version = self.cli_version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model": model,
                "session_id": session_id,
                "cli_version": cli_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_model(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        model = _parse_model(d.pop("model"))

        def _parse_session_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        session_id = _parse_session_id(d.pop("session_id"))

        def _parse_cli_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cli_version = _parse_cli_version(d.pop("cli_version"))

        run_event_started_data = cls(
            model=model,
            session_id=session_id,
            cli_version=cli_version,
        )

        return run_event_started_data
