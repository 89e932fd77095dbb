from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.run_event_error import RunEventError
from ...models.run_event_queued import RunEventQueued
from ...models.run_event_rate_limit import RunEventRateLimit
from ...models.run_event_result import RunEventResult
from ...models.run_event_retry import RunEventRetry
from ...models.run_event_started import RunEventStarted
from ...models.run_event_text import RunEventText
from ...models.run_event_tool import RunEventTool
from ...types import UNSET, Response, Unset


def _get_kwargs(
    run_id: str,
    *,
    last_event_id: int | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = str(last_event_id)

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/runs/{run_id}/events".format(
            run_id=quote(str(run_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorBody
    | RunEventError
    | RunEventQueued
    | RunEventRateLimit
    | RunEventResult
    | RunEventRetry
    | RunEventStarted
    | RunEventText
    | RunEventTool
    | None
):
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> (
            RunEventError
            | RunEventQueued
            | RunEventRateLimit
            | RunEventResult
            | RunEventRetry
            | RunEventStarted
            | RunEventText
            | RunEventTool
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_event_type_0 = RunEventQueued.from_dict(data)

                return componentsschemas_run_event_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_event_type_1 = RunEventStarted.from_dict(data)

                return componentsschemas_run_event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_event_type_2 = RunEventText.from_dict(data)

                return componentsschemas_run_event_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_event_type_3 = RunEventTool.from_dict(data)

                return componentsschemas_run_event_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_event_type_4 = RunEventRetry.from_dict(data)

                return componentsschemas_run_event_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_event_type_5 = RunEventRateLimit.from_dict(data)

                return componentsschemas_run_event_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_event_type_6 = RunEventResult.from_dict(data)

                return componentsschemas_run_event_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_run_event_type_7 = RunEventError.from_dict(data)

            return componentsschemas_run_event_type_7

        response_200 = _parse_response_200(response.text)

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 405:
        response_405 = ErrorBody.from_dict(response.json())

        return response_405

    if response.status_code == 408:
        response_408 = ErrorBody.from_dict(response.json())

        return response_408

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorBody.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = ErrorBody.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = ErrorBody.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorBody.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    ErrorBody
    | RunEventError
    | RunEventQueued
    | RunEventRateLimit
    | RunEventResult
    | RunEventRetry
    | RunEventStarted
    | RunEventText
    | RunEventTool
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    run_id: str,
    *,
    client: AuthenticatedClient,
    last_event_id: int | Unset = UNSET,
) -> Response[
    ErrorBody
    | RunEventError
    | RunEventQueued
    | RunEventRateLimit
    | RunEventResult
    | RunEventRetry
    | RunEventStarted
    | RunEventText
    | RunEventTool
]:
    """An async run's events as Server-Sent Events (own runs only), from the start or after Last-Event-ID;
    the stream ends after `result` or `error`

    Args:
        run_id (str):
        last_event_id (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | RunEventError | RunEventQueued | RunEventRateLimit | RunEventResult | RunEventRetry | RunEventStarted | RunEventText | RunEventTool]
    """

    kwargs = _get_kwargs(
        run_id=run_id,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    run_id: str,
    *,
    client: AuthenticatedClient,
    last_event_id: int | Unset = UNSET,
) -> (
    ErrorBody
    | RunEventError
    | RunEventQueued
    | RunEventRateLimit
    | RunEventResult
    | RunEventRetry
    | RunEventStarted
    | RunEventText
    | RunEventTool
    | None
):
    """An async run's events as Server-Sent Events (own runs only), from the start or after Last-Event-ID;
    the stream ends after `result` or `error`

    Args:
        run_id (str):
        last_event_id (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | RunEventError | RunEventQueued | RunEventRateLimit | RunEventResult | RunEventRetry | RunEventStarted | RunEventText | RunEventTool
    """

    return sync_detailed(
        run_id=run_id,
        client=client,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    run_id: str,
    *,
    client: AuthenticatedClient,
    last_event_id: int | Unset = UNSET,
) -> Response[
    ErrorBody
    | RunEventError
    | RunEventQueued
    | RunEventRateLimit
    | RunEventResult
    | RunEventRetry
    | RunEventStarted
    | RunEventText
    | RunEventTool
]:
    """An async run's events as Server-Sent Events (own runs only), from the start or after Last-Event-ID;
    the stream ends after `result` or `error`

    Args:
        run_id (str):
        last_event_id (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | RunEventError | RunEventQueued | RunEventRateLimit | RunEventResult | RunEventRetry | RunEventStarted | RunEventText | RunEventTool]
    """

    kwargs = _get_kwargs(
        run_id=run_id,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    run_id: str,
    *,
    client: AuthenticatedClient,
    last_event_id: int | Unset = UNSET,
) -> (
    ErrorBody
    | RunEventError
    | RunEventQueued
    | RunEventRateLimit
    | RunEventResult
    | RunEventRetry
    | RunEventStarted
    | RunEventText
    | RunEventTool
    | None
):
    """An async run's events as Server-Sent Events (own runs only), from the start or after Last-Event-ID;
    the stream ends after `result` or `error`

    Args:
        run_id (str):
        last_event_id (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | RunEventError | RunEventQueued | RunEventRateLimit | RunEventResult | RunEventRetry | RunEventStarted | RunEventText | RunEventTool
    """

    return (
        await asyncio_detailed(
            run_id=run_id,
            client=client,
            last_event_id=last_event_id,
        )
    ).parsed
