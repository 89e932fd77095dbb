"""Contains all the data models used in inputs/outputs"""

from .account import Account
from .account_list import AccountList
from .account_readiness import AccountReadiness
from .account_readiness_state import AccountReadinessState
from .account_source import AccountSource
from .account_state import AccountState
from .account_type import AccountType
from .admin_action import AdminAction
from .admin_action_action import AdminActionAction
from .admin_action_after_type_0 import AdminActionAfterType0
from .admin_action_before_type_0 import AdminActionBeforeType0
from .admin_action_page import AdminActionPage
from .async_run import AsyncRun
from .async_run_accepted import AsyncRunAccepted
from .async_run_accepted_status import AsyncRunAcceptedStatus
from .async_run_status import AsyncRunStatus
from .create_session_body import CreateSessionBody
from .create_session_body_json_schema import CreateSessionBodyJsonSchema
from .create_session_body_tools_item import CreateSessionBodyToolsItem
from .create_token_body import CreateTokenBody
from .create_token_body_tools_item import CreateTokenBodyToolsItem
from .created_token import CreatedToken
from .created_token_tools_item import CreatedTokenToolsItem
from .deleted_file import DeletedFile
from .deleted_session import DeletedSession
from .error_body import ErrorBody
from .error_body_error import ErrorBodyError
from .error_body_error_code import ErrorBodyErrorCode
from .file_info import FileInfo
from .fork_session_body import ForkSessionBody
from .health import Health
from .health_claude_auth_method import HealthClaudeAuthMethod
from .health_db import HealthDb
from .last_rate_limit import LastRateLimit
from .limit_window import LimitWindow
from .list_runs_error_code import ListRunsErrorCode
from .list_runs_status import ListRunsStatus
from .list_webhook_deliveries_status import ListWebhookDeliveriesStatus
from .listed_token import ListedToken
from .listed_token_tools_item import ListedTokenToolsItem
from .readiness import Readiness
from .readiness_db import ReadinessDb
from .readiness_last_auth_failure_type_0 import ReadinessLastAuthFailureType0
from .revoked_token import RevokedToken
from .rotate_token_body import RotateTokenBody
from .rotated_token import RotatedToken
from .run_body import RunBody
from .run_body_effort import RunBodyEffort
from .run_body_json_schema import RunBodyJsonSchema
from .run_body_tools_item import RunBodyToolsItem
from .run_detail import RunDetail
from .run_detail_status import RunDetailStatus
from .run_event_error import RunEventError
from .run_event_error_type import RunEventErrorType
from .run_event_queued import RunEventQueued
from .run_event_queued_data import RunEventQueuedData
from .run_event_queued_type import RunEventQueuedType
from .run_event_rate_limit import RunEventRateLimit
from .run_event_rate_limit_data import RunEventRateLimitData
from .run_event_rate_limit_type import RunEventRateLimitType
from .run_event_result import RunEventResult
from .run_event_result_type import RunEventResultType
from .run_event_retry import RunEventRetry
from .run_event_retry_data import RunEventRetryData
from .run_event_retry_type import RunEventRetryType
from .run_event_started import RunEventStarted
from .run_event_started_data import RunEventStartedData
from .run_event_started_type import RunEventStartedType
from .run_event_text import RunEventText
from .run_event_text_data import RunEventTextData
from .run_event_text_type import RunEventTextType
from .run_event_tool import RunEventTool
from .run_event_tool_data import RunEventToolData
from .run_event_tool_type import RunEventToolType
from .run_page import RunPage
from .run_record import RunRecord
from .run_record_status import RunRecordStatus
from .run_response import RunResponse
from .run_response_usage import RunResponseUsage
from .send_turn_body import SendTurnBody
from .send_turn_body_effort import SendTurnBodyEffort
from .session import Session
from .session_created import SessionCreated
from .session_list import SessionList
from .session_usage import SessionUsage
from .start_run_body import StartRunBody
from .start_run_body_effort import StartRunBodyEffort
from .start_run_body_json_schema import StartRunBodyJsonSchema
from .start_run_body_tools_item import StartRunBodyToolsItem
from .start_turn_body import StartTurnBody
from .start_turn_body_effort import StartTurnBodyEffort
from .token_list import TokenList
from .update_token_body import UpdateTokenBody
from .update_token_body_tools_item import UpdateTokenBodyToolsItem
from .updated_token import UpdatedToken
from .updated_token_tools_item import UpdatedTokenToolsItem
from .upload_file_body import UploadFileBody
from .usage_group_by import UsageGroupBy
from .usage_report import UsageReport
from .usage_report_group_by import UsageReportGroupBy
from .usage_report_groups_item import UsageReportGroupsItem
from .usage_report_groups_item_errors import UsageReportGroupsItemErrors
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_page import WebhookDeliveryPage
from .webhook_delivery_status import WebhookDeliveryStatus
from .webhook_delivery_type import WebhookDeliveryType
from .webhook_secret import WebhookSecret

__all__ = (
    "Account",
    "AccountList",
    "AccountReadiness",
    "AccountReadinessState",
    "AccountSource",
    "AccountState",
    "AccountType",
    "AdminAction",
    "AdminActionAction",
    "AdminActionAfterType0",
    "AdminActionBeforeType0",
    "AdminActionPage",
    "AsyncRun",
    "AsyncRunAccepted",
    "AsyncRunAcceptedStatus",
    "AsyncRunStatus",
    "CreatedToken",
    "CreatedTokenToolsItem",
    "CreateSessionBody",
    "CreateSessionBodyJsonSchema",
    "CreateSessionBodyToolsItem",
    "CreateTokenBody",
    "CreateTokenBodyToolsItem",
    "DeletedFile",
    "DeletedSession",
    "ErrorBody",
    "ErrorBodyError",
    "ErrorBodyErrorCode",
    "FileInfo",
    "ForkSessionBody",
    "Health",
    "HealthClaudeAuthMethod",
    "HealthDb",
    "LastRateLimit",
    "LimitWindow",
    "ListedToken",
    "ListedTokenToolsItem",
    "ListRunsErrorCode",
    "ListRunsStatus",
    "ListWebhookDeliveriesStatus",
    "Readiness",
    "ReadinessDb",
    "ReadinessLastAuthFailureType0",
    "RevokedToken",
    "RotatedToken",
    "RotateTokenBody",
    "RunBody",
    "RunBodyEffort",
    "RunBodyJsonSchema",
    "RunBodyToolsItem",
    "RunDetail",
    "RunDetailStatus",
    "RunEventError",
    "RunEventErrorType",
    "RunEventQueued",
    "RunEventQueuedData",
    "RunEventQueuedType",
    "RunEventRateLimit",
    "RunEventRateLimitData",
    "RunEventRateLimitType",
    "RunEventResult",
    "RunEventResultType",
    "RunEventRetry",
    "RunEventRetryData",
    "RunEventRetryType",
    "RunEventStarted",
    "RunEventStartedData",
    "RunEventStartedType",
    "RunEventText",
    "RunEventTextData",
    "RunEventTextType",
    "RunEventTool",
    "RunEventToolData",
    "RunEventToolType",
    "RunPage",
    "RunRecord",
    "RunRecordStatus",
    "RunResponse",
    "RunResponseUsage",
    "SendTurnBody",
    "SendTurnBodyEffort",
    "Session",
    "SessionCreated",
    "SessionList",
    "SessionUsage",
    "StartRunBody",
    "StartRunBodyEffort",
    "StartRunBodyJsonSchema",
    "StartRunBodyToolsItem",
    "StartTurnBody",
    "StartTurnBodyEffort",
    "TokenList",
    "UpdatedToken",
    "UpdatedTokenToolsItem",
    "UpdateTokenBody",
    "UpdateTokenBodyToolsItem",
    "UploadFileBody",
    "UsageGroupBy",
    "UsageReport",
    "UsageReportGroupBy",
    "UsageReportGroupsItem",
    "UsageReportGroupsItemErrors",
    "WebhookDelivery",
    "WebhookDeliveryPage",
    "WebhookDeliveryStatus",
    "WebhookDeliveryType",
    "WebhookSecret",
)
