from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.admin_action_action import AdminActionAction

if TYPE_CHECKING:
    from ..models.admin_action_after_type_0 import AdminActionAfterType0
    from ..models.admin_action_before_type_0 import AdminActionBeforeType0


T = TypeVar("T", bound="AdminAction")


@_attrs_define
class AdminAction:
    """
    Attributes:
        id (int):
        at (datetime.datetime):
        actor (str):
        action (AdminActionAction):
        target (str):
        before (AdminActionBeforeType0 | None):
        after (AdminActionAfterType0 | None):
        request_id (None | str):
    """

    id: int
    at: datetime.datetime
    actor: str
    action: AdminActionAction
    target: str
    before: AdminActionBeforeType0 | None
    after: AdminActionAfterType0 | None
    request_id: None | str

    def to_dict(self) -> dict[str, Any]:
        from ..models.admin_action_after_type_0 import AdminActionAfterType0  # noqa: PLC0415
        from ..models.admin_action_before_type_0 import AdminActionBeforeType0  # noqa: PLC0415

        id = self.id

        at = self.at.isoformat()

        actor = self.actor

        action = self.action.value

        target = self.target

        before: dict[str, Any] | None
        if isinstance(self.before, AdminActionBeforeType0):
            before = self.before.to_dict()
        else:
            before = self.before

        after: dict[str, Any] | None
        if isinstance(self.after, AdminActionAfterType0):
            after = self.after.to_dict()
        else:
            after = self.after

        request_id: None | str
        request_id = self.request_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "at": at,
                "actor": actor,
                "action": action,
                "target": target,
                "before": before,
                "after": after,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.admin_action_after_type_0 import AdminActionAfterType0  # noqa: PLC0415
        from ..models.admin_action_before_type_0 import AdminActionBeforeType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        actor = d.pop("actor")

        action = AdminActionAction(d.pop("action"))

        target = d.pop("target")

        def _parse_before(data: object) -> AdminActionBeforeType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                before_type_0 = AdminActionBeforeType0.from_dict(data)

                return before_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AdminActionBeforeType0 | None, data)

        before = _parse_before(d.pop("before"))

        def _parse_after(data: object) -> AdminActionAfterType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                after_type_0 = AdminActionAfterType0.from_dict(data)

                return after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AdminActionAfterType0 | None, data)

        after = _parse_after(d.pop("after"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        admin_action = cls(
            id=id,
            at=at,
            actor=actor,
            action=action,
            target=target,
            before=before,
            after=after,
            request_id=request_id,
        )

        return admin_action
