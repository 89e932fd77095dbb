from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.usage_report_group_by import UsageReportGroupBy

if TYPE_CHECKING:
    from ..models.usage_report_groups_item import UsageReportGroupsItem


T = TypeVar("T", bound="UsageReport")


@_attrs_define
class UsageReport:
    """
    Attributes:
        group_by (UsageReportGroupBy):
        since (None | str):
        until (None | str):
        groups (list[UsageReportGroupsItem]):
    """

    group_by: UsageReportGroupBy
    since: None | str
    until: None | str
    groups: list[UsageReportGroupsItem]

    def to_dict(self) -> dict[str, Any]:
        group_by = self.group_by.value

        since: None | str
        since = self.since

        until: None | str
        until = self.until

        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "group_by": group_by,
                "since": since,
                "until": until,
                "groups": groups,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_report_groups_item import UsageReportGroupsItem  # noqa: PLC0415

        d = dict(src_dict)
        group_by = UsageReportGroupBy(d.pop("group_by"))

        def _parse_since(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        since = _parse_since(d.pop("since"))

        def _parse_until(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        until = _parse_until(d.pop("until"))

        groups = []
        _groups = d.pop("groups")
        for groups_item_data in _groups:
            groups_item = UsageReportGroupsItem.from_dict(groups_item_data)

            groups.append(groups_item)

        usage_report = cls(
            group_by=group_by,
            since=since,
            until=until,
            groups=groups,
        )

        return usage_report
