"""Service Bus as the API's health check sees it: can this identity reach and read the queue?

The Functions host owns the real send (output binding) and receive (trigger); the app itself only
peeks one message, which needs no more than the Data Receiver role the function already has."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from voiceops.errors import (
    ConfigurationError,
    PermanentError,
    RateLimited,
    ServiceTimeout,
    ServiceUnavailable,
    VoiceOpsError,
)

if TYPE_CHECKING:
    from voiceops.settings import Settings


def map_servicebus_error(exc: Exception, what: str) -> VoiceOpsError:
    """Translate an azure-servicebus exception into the VoiceOps error tree."""
    from azure.servicebus import exceptions as sb

    if isinstance(exc, sb.ServiceBusAuthenticationError | sb.ServiceBusAuthorizationError):
        return ConfigurationError(f"{what}: Service Bus refused the identity (role assignment?)")
    if isinstance(exc, sb.MessagingEntityNotFoundError | sb.MessagingEntityDisabledError):
        return ConfigurationError(f"{what}: the queue is missing or disabled")
    if isinstance(exc, sb.ServiceBusServerBusyError | sb.ServiceBusQuotaExceededError):
        return RateLimited(f"{what}: Service Bus is busy")
    if isinstance(exc, sb.OperationTimeoutError):
        return ServiceTimeout(f"{what}: Service Bus timed out")
    if isinstance(exc, sb.ServiceBusConnectionError | sb.ServiceBusCommunicationError):
        return ServiceUnavailable(f"{what}: Service Bus unreachable")
    if isinstance(exc, sb.ServiceBusError):
        return ServiceUnavailable(f"{what}: {type(exc).__name__}")
    return PermanentError(f"{what}: {type(exc).__name__}: {exc}", code="servicebus_error")


def servicebus_probe(settings: Settings) -> Callable[[], dict]:
    """A health check that peeks one message from the configured queue (no lock, nothing consumed)."""

    def probe() -> dict:
        from azure.servicebus import ServiceBusClient

        if settings.servicebus_connection:
            client = ServiceBusClient.from_connection_string(settings.servicebus_connection, retry_total=1)
        elif settings.servicebus_namespace:
            from azure.identity import DefaultAzureCredential, ManagedIdentityCredential

            credential = (ManagedIdentityCredential(client_id=settings.managed_identity_client_id)
                          if settings.managed_identity_client_id else DefaultAzureCredential())
            client = ServiceBusClient(settings.servicebus_namespace, credential, retry_total=1)
        else:
            raise ConfigurationError("set SERVICEBUS__fullyQualifiedNamespace or VOICEOPS_SERVICEBUS_CONNECTION")
        try:
            with client, client.get_queue_receiver(settings.queue_name) as receiver:
                peeked = receiver.peek_messages(max_message_count=1, timeout=10)
        except Exception as exc:
            raise map_servicebus_error(exc, f"queue {settings.queue_name}") from exc
        return {"kind": "servicebus", "queue": settings.queue_name, "has_messages": bool(peeked)}

    return probe
