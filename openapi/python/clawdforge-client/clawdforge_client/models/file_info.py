from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FileInfo")


@_attrs_define
class FileInfo:
    """
    Attributes:
        file_token (str):
        name (str):
        size (int):
        sha256 (str):
        content_type (str):
        ttl_secs (int):
        expires_at (datetime.datetime):
        created_at (datetime.datetime):
    """

    file_token: str
    name: str
    size: int
    sha256: str
    content_type: str
    ttl_secs: int
    expires_at: datetime.datetime
    created_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        file_token = self.file_token

        name = self.name

        size = self.size

        sha256 = self.sha256

        content_type = self.content_type

        ttl_secs = self.ttl_secs

        expires_at = self.expires_at.isoformat()

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "file_token": file_token,
                "name": name,
                "size": size,
                "sha256": sha256,
                "content_type": content_type,
                "ttl_secs": ttl_secs,
                "expires_at": expires_at,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_token = d.pop("file_token")

        name = d.pop("name")

        size = d.pop("size")

        sha256 = d.pop("sha256")

        content_type = d.pop("content_type")

        ttl_secs = d.pop("ttl_secs")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        file_info = cls(
            file_token=file_token,
            name=name,
            size=size,
            sha256=sha256,
            content_type=content_type,
            ttl_secs=ttl_secs,
            expires_at=expires_at,
            created_at=created_at,
        )

        return file_info
