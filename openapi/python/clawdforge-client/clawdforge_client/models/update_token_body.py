from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.update_token_body_tools_item import UpdateTokenBodyToolsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateTokenBody")


@_attrs_define
class UpdateTokenBody:
    """
    Attributes:
        ip_cidrs (list[str] | Unset):
        models (list[str] | None | Unset):
        tools (list[UpdateTokenBodyToolsItem] | Unset):
        max_concurrent (int | None | Unset):
        max_timeout_secs (int | None | Unset):
        runs_per_hour (int | None | Unset):
        runs_per_day (int | None | Unset):
        cost_usd_per_day (float | None | Unset):
        expires_at (datetime.datetime | None | Unset):
        max_stored_bytes (int | None | Unset):
        max_live_files (int | None | Unset):
        webhook_url (None | str | Unset):
    """

    ip_cidrs: list[str] | Unset = UNSET
    models: list[str] | None | Unset = UNSET
    tools: list[UpdateTokenBodyToolsItem] | Unset = UNSET
    max_concurrent: int | None | Unset = UNSET
    max_timeout_secs: int | None | Unset = UNSET
    runs_per_hour: int | None | Unset = UNSET
    runs_per_day: int | None | Unset = UNSET
    cost_usd_per_day: float | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    max_stored_bytes: int | None | Unset = UNSET
    max_live_files: int | None | Unset = UNSET
    webhook_url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ip_cidrs: list[str] | Unset = UNSET
        if not isinstance(self.ip_cidrs, Unset):
            ip_cidrs = self.ip_cidrs

        models: list[str] | None | Unset
        if isinstance(self.models, Unset):
            models = UNSET
        elif isinstance(self.models, list):
            models = self.models

        else:
            models = self.models

        tools: list[str] | Unset = UNSET
        if not isinstance(self.tools, Unset):
            tools = []
            for tools_item_data in self.tools:
                tools_item = tools_item_data.value
                tools.append(tools_item)

        max_concurrent: int | None | Unset
        if isinstance(self.max_concurrent, Unset):
            max_concurrent = UNSET
        else:
            max_concurrent = self.max_concurrent

        max_timeout_secs: int | None | Unset
        if isinstance(self.max_timeout_secs, Unset):
            max_timeout_secs = UNSET
        else:
            max_timeout_secs = self.max_timeout_secs

        runs_per_hour: int | None | Unset
        if isinstance(self.runs_per_hour, Unset):
            runs_per_hour = UNSET
        else:
            runs_per_hour = self.runs_per_hour

        runs_per_day: int | None | Unset
        if isinstance(self.runs_per_day, Unset):
            runs_per_day = UNSET
        else:
            runs_per_day = self.runs_per_day

        cost_usd_per_day: float | None | Unset
        if isinstance(self.cost_usd_per_day, Unset):
            cost_usd_per_day = UNSET
        else:
            cost_usd_per_day = self.cost_usd_per_day

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        max_stored_bytes: int | None | Unset
        if isinstance(self.max_stored_bytes, Unset):
            max_stored_bytes = UNSET
        else:
            max_stored_bytes = self.max_stored_bytes

        max_live_files: int | None | Unset
        if isinstance(self.max_live_files, Unset):
            max_live_files = UNSET
        else:
            max_live_files = self.max_live_files

        webhook_url: None | str | Unset
        if isinstance(self.webhook_url, Unset):
            webhook_url = UNSET
        else:
            webhook_url = self.webhook_url

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ip_cidrs is not UNSET:
            field_dict["ip_cidrs"] = ip_cidrs
        if models is not UNSET:
            field_dict["models"] = models
        if tools is not UNSET:
            field_dict["tools"] = tools
        if max_concurrent is not UNSET:
            field_dict["max_concurrent"] = max_concurrent
        if max_timeout_secs is not UNSET:
            field_dict["max_timeout_secs"] = max_timeout_secs
        if runs_per_hour is not UNSET:
            field_dict["runs_per_hour"] = runs_per_hour
        if runs_per_day is not UNSET:
            field_dict["runs_per_day"] = runs_per_day
        if cost_usd_per_day is not UNSET:
            field_dict["cost_usd_per_day"] = cost_usd_per_day
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if max_stored_bytes is not UNSET:
            field_dict["max_stored_bytes"] = max_stored_bytes
        if max_live_files is not UNSET:
            field_dict["max_live_files"] = max_live_files
        if webhook_url is not UNSET:
            field_dict["webhook_url"] = webhook_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ip_cidrs = cast(list[str], d.pop("ip_cidrs", UNSET))

        def _parse_models(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                models_type_0 = cast(list[str], data)

                return models_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        models = _parse_models(d.pop("models", UNSET))

        _tools = d.pop("tools", UNSET)
        tools: list[UpdateTokenBodyToolsItem] | Unset = UNSET
        if _tools is not UNSET:
            tools = []
            for tools_item_data in _tools:
                tools_item = UpdateTokenBodyToolsItem(tools_item_data)

                tools.append(tools_item)

        def _parse_max_concurrent(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_concurrent = _parse_max_concurrent(d.pop("max_concurrent", UNSET))

        def _parse_max_timeout_secs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_timeout_secs = _parse_max_timeout_secs(d.pop("max_timeout_secs", UNSET))

        def _parse_runs_per_hour(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        runs_per_hour = _parse_runs_per_hour(d.pop("runs_per_hour", UNSET))

        def _parse_runs_per_day(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        runs_per_day = _parse_runs_per_day(d.pop("runs_per_day", UNSET))

        def _parse_cost_usd_per_day(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        cost_usd_per_day = _parse_cost_usd_per_day(d.pop("cost_usd_per_day", UNSET))

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_max_stored_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_stored_bytes = _parse_max_stored_bytes(d.pop("max_stored_bytes", UNSET))

        def _parse_max_live_files(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_live_files = _parse_max_live_files(d.pop("max_live_files", UNSET))

        def _parse_webhook_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook_url = _parse_webhook_url(d.pop("webhook_url", UNSET))

        update_token_body = cls(
            ip_cidrs=ip_cidrs,
            models=models,
            tools=tools,
            max_concurrent=max_concurrent,
            max_timeout_secs=max_timeout_secs,
            runs_per_hour=runs_per_hour,
            runs_per_day=runs_per_day,
            cost_usd_per_day=cost_usd_per_day,
            expires_at=expires_at,
            max_stored_bytes=max_stored_bytes,
            max_live_files=max_live_files,
            webhook_url=webhook_url,
        )

        return update_token_body
