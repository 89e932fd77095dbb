from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.admin_action import AdminAction


T = TypeVar("T", bound="AdminActionPage")


@_attrs_define
class AdminActionPage:
    """
    Attributes:
        actions (list[AdminAction]):
        next_cursor (None | str):
    """

    actions: list[AdminAction]
    next_cursor: None | str

    def to_dict(self) -> dict[str, Any]:
        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "actions": actions,
                "next_cursor": next_cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.admin_action import AdminAction  # noqa: PLC0415

        d = dict(src_dict)
        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = AdminAction.from_dict(actions_item_data)

            actions.append(actions_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        admin_action_page = cls(
            actions=actions,
            next_cursor=next_cursor,
        )

        return admin_action_page
