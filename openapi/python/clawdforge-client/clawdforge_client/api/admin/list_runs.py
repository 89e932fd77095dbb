import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.list_runs_error_code import ListRunsErrorCode
from ...models.list_runs_status import ListRunsStatus
from ...models.run_page import RunPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
    app: str | Unset = UNSET,
    status: ListRunsStatus | Unset = UNSET,
    error_code: ListRunsErrorCode | Unset = UNSET,
    model: str | Unset = UNSET,
    session_id: str | Unset = UNSET,
    account: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["limit"] = limit

    params["app"] = app

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_error_code: str | Unset = UNSET
    if not isinstance(error_code, Unset):
        json_error_code = error_code.value

    params["error_code"] = json_error_code

    params["model"] = model

    params["session_id"] = session_id

    params["account"] = account

    json_since: str | Unset = UNSET
    if not isinstance(since, Unset):
        json_since = since.isoformat()
    params["since"] = json_since

    json_until: str | Unset = UNSET
    if not isinstance(until, Unset):
        json_until = until.isoformat()
    params["until"] = json_until

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/admin/runs",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | RunPage | None:
    if response.status_code == 200:
        response_200 = RunPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | RunPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
    app: str | Unset = UNSET,
    status: ListRunsStatus | Unset = UNSET,
    error_code: ListRunsErrorCode | Unset = UNSET,
    model: str | Unset = UNSET,
    session_id: str | Unset = UNSET,
    account: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
) -> Response[ErrorBody | RunPage]:
    """The audit log, newest first, filtered and keyset-paginated

    Args:
        cursor (str | Unset):
        limit (int | Unset):  Default: 50.
        app (str | Unset):
        status (ListRunsStatus | Unset):
        error_code (ListRunsErrorCode | Unset):
        model (str | Unset):
        session_id (str | Unset):
        account (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | RunPage]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        limit=limit,
        app=app,
        status=status,
        error_code=error_code,
        model=model,
        session_id=session_id,
        account=account,
        since=since,
        until=until,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
    app: str | Unset = UNSET,
    status: ListRunsStatus | Unset = UNSET,
    error_code: ListRunsErrorCode | Unset = UNSET,
    model: str | Unset = UNSET,
    session_id: str | Unset = UNSET,
    account: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
) -> ErrorBody | RunPage | None:
    """The audit log, newest first, filtered and keyset-paginated

    Args:
        cursor (str | Unset):
        limit (int | Unset):  Default: 50.
        app (str | Unset):
        status (ListRunsStatus | Unset):
        error_code (ListRunsErrorCode | Unset):
        model (str | Unset):
        session_id (str | Unset):
        account (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | RunPage
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        limit=limit,
        app=app,
        status=status,
        error_code=error_code,
        model=model,
        session_id=session_id,
        account=account,
        since=since,
        until=until,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
    app: str | Unset = UNSET,
    status: ListRunsStatus | Unset = UNSET,
    error_code: ListRunsErrorCode | Unset = UNSET,
    model: str | Unset = UNSET,
    session_id: str | Unset = UNSET,
    account: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
) -> Response[ErrorBody | RunPage]:
    """The audit log, newest first, filtered and keyset-paginated

    Args:
        cursor (str | Unset):
        limit (int | Unset):  Default: 50.
        app (str | Unset):
        status (ListRunsStatus | Unset):
        error_code (ListRunsErrorCode | Unset):
        model (str | Unset):
        session_id (str | Unset):
        account (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | RunPage]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        limit=limit,
        app=app,
        status=status,
        error_code=error_code,
        model=model,
        session_id=session_id,
        account=account,
        since=since,
        until=until,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
    app: str | Unset = UNSET,
    status: ListRunsStatus | Unset = UNSET,
    error_code: ListRunsErrorCode | Unset = UNSET,
    model: str | Unset = UNSET,
    session_id: str | Unset = UNSET,
    account: str | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
) -> ErrorBody | RunPage | None:
    """The audit log, newest first, filtered and keyset-paginated

    Args:
        cursor (str | Unset):
        limit (int | Unset):  Default: 50.
        app (str | Unset):
        status (ListRunsStatus | Unset):
        error_code (ListRunsErrorCode | Unset):
        model (str | Unset):
        session_id (str | Unset):
        account (str | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | RunPage
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            limit=limit,
            app=app,
            status=status,
            error_code=error_code,
            model=model,
            session_id=session_id,
            account=account,
            since=since,
            until=until,
        )
    ).parsed
