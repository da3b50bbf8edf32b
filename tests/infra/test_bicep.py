"""The Bicep templates parse and say what docs/deploy.md promises (the Bicep CLI cannot run here)."""

from __future__ import annotations

import json
import re

import pytest

from tests.infra.bicep import (
    INFRA,
    app_settings,
    bicep_files,
    default,
    main,
    module,
    one,
    parse,
    resources_of_type,
    walk,
)

# Flex Consumption rejects or ignores these; runtime and scale live in functionAppConfig instead
FLEX_REJECTED_SETTINGS = {
    "FUNCTIONS_WORKER_RUNTIME",
    "FUNCTIONS_WORKER_RUNTIME_VERSION",
    "FUNCTIONS_EXTENSION_VERSION",
    "FUNCTIONS_MAX_HTTP_CONCURRENCY",
    "FUNCTIONS_WORKER_PROCESS_COUNT",
    "WEBSITE_RUN_FROM_PACKAGE",
    "WEBSITE_CONTENTSHARE",
    "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
    "WEBSITE_CONTENTOVERVNET",
    "WEBSITE_SKIP_CONTENTSHARE_VALIDATION",
    "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
    "WEBSITE_NODE_DEFAULT_VERSION",
    "WEBSITE_MOUNT_ENABLED",
    "WEBSITE_TIME_ZONE",
    "WEBSITES_CONTAINER_START_TIME_LIMIT",
    "SCM_DO_BUILD_DURING_DEPLOYMENT",
    "ENABLE_ORYX_BUILD",
    "TZ",
}

ROLE_IDS = {
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
    "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39": "Azure Service Bus Data Sender",
    "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0": "Azure Service Bus Data Receiver",
    "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd": "Cognitive Services OpenAI User",
    "f2dc8367-1007-4938-bd23-fe263f013447": "Cognitive Services Speech User",
    "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher",
}


@pytest.mark.parametrize("path", bicep_files(), ids=lambda p: str(p.relative_to(INFRA)))
def test_every_bicep_file_parses_with_described_parameters_and_upper_snake_outputs(path):
    doc = parse(path)
    for name, param in doc.get("parameters", {}).items():
        descriptions = [d["argument"] for d in param["decorators"] if d["type"] == "description"]
        assert descriptions, f"{path.name}: parameter {name} has no @description"
        assert re.match(r"(Required|Optional)\. \S", descriptions[0]), (
            f"{path.name}: {name}: description must start 'Required. ' or 'Optional. '"
        )
        # AVM convention: a parameter with a default is optional, one without is required
        expected = "Optional" if param.get("default") is not None else "Required"
        assert descriptions[0].startswith(expected), f"{path.name}: {name} should be described as {expected}"
    for name in doc.get("outputs", {}):
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name), f"{path.name}: output {name} is not UPPER_SNAKE"


@pytest.mark.parametrize("path", bicep_files(), ids=lambda p: str(p.relative_to(INFRA)))
def test_plain_resources_only(path):
    text = path.read_text()
    assert not re.search(r"'br[:/]", text), "registry modules cannot be read offline"
    assert "listKeys(" not in text and "listkeys(" not in text, "no keys: every connection is identity-based"
    doc = parse(path)
    for node in walk(doc):
        if isinstance(node, dict) and "loop_type" in node:
            assert node.get("condition") is None, f"{path.name}: a loop with an if filter"
    for mod in doc.get("modules", {}).values():
        assert mod["type"] == "local", f"{path.name}: non-local module"
        assert (path.parent / mod["detail"]["path"]).is_file(), f"missing module {mod['detail']['path']}"


def test_role_assignments_are_named_by_guid_and_cover_the_function_identity():
    rbac = module("rbac")
    assignments = resources_of_type(rbac, "Microsoft.Authorization/roleAssignments")
    assert assignments
    for assignment in assignments:
        assert assignment["name"]["function"]["type"] == "guid"
    roles = rbac["variables"]["roles"]["value"]
    granted_to_function = {
        roles[a["properties"]["roleDefinitionId"]["function"]["parameters"]["resource_name_1"]["operator"]
              ["operands"]["operand_2"]]
        for a in assignments
        if a["properties"]["principalId"] == "functionPrincipalId"
    }
    assert set(ROLE_IDS) == granted_to_function, {ROLE_IDS.get(r, r) for r in set(ROLE_IDS) ^ granted_to_function}
    deployer = [a for a in assignments if a["properties"]["principalId"] == "deployerPrincipalId"]
    assert deployer, "the deploying user needs data roles to upload the package and run func start"


def test_flex_consumption_plan_and_python_function_app():
    fn = module("function")
    plan = one(fn, "Microsoft.Web/serverfarms")
    assert plan["sku"] == {"tier": "FlexConsumption", "name": "FC1"}
    assert plan["properties"]["reserved"] is True
    site = one(fn, "Microsoft.Web/sites")
    config = site["properties"]["functionAppConfig"]
    assert config["runtime"]["name"] == "python"
    assert default(fn, config["runtime"]["version"]) == "3.11"
    storage = config["deployment"]["storage"]
    assert storage["type"] == "blobContainer"
    assert storage["authentication"]["type"] == "UserAssignedIdentity"
    scale = config["scaleAndConcurrency"]
    assert isinstance(default(fn, scale["maximumInstanceCount"]), int)
    assert default(fn, scale["instanceMemoryMB"]) in (512, 2048, 4096)
    assert site["identity"]["type"] == "UserAssigned"
    assert site["properties"]["httpsOnly"] is True


def test_app_settings_are_identity_based_and_flex_compatible():
    settings = app_settings()
    rejected = FLEX_REJECTED_SETTINGS & set(settings)
    assert not rejected, f"Flex Consumption rejects {rejected}"
    for connection in ("AzureWebJobsStorage", "SERVICEBUS"):
        assert settings[f"{connection}__credential"] == "managedidentity"
        assert f"{connection}__clientId" in settings
        assert connection not in settings, f"{connection} as a connection string would carry a secret"
    assert "SERVICEBUS__fullyQualifiedNamespace" in settings
    assert "AzureWebJobsStorage__blobServiceUri" in settings
    # the app gets an Entra token per connection: the URL names a user and no password
    database_url = settings["VOICEOPS_DATABASE_URL"]
    assert re.match(r"postgresql://\$\{[^}]+\}@\$\{[^}]+\}:6432/", database_url), database_url
    assert "password" not in database_url.lower()
    assert settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"].endswith("Authorization=AAD")
    for name, value in settings.items():
        assert not re.search(r"(AccountKey|SharedAccessKey|password)=", json.dumps(value)), name


def test_storage_is_keyless_private_and_expires_clips():
    st = module("storage")
    account = one(st, "Microsoft.Storage/storageAccounts")["properties"]
    assert account["allowSharedKeyAccess"] is False
    assert account["allowBlobPublicAccess"] is False
    containers = {
        default(st, c["name"])
        for c in resources_of_type(st, "Microsoft.Storage/storageAccounts/blobServices/containers")
    }
    assert {"clips", "replies"} <= containers and len(containers) == 3
    policy = one(st, "Microsoft.Storage/storageAccounts/managementPolicies")["properties"]["policy"]
    clip_rule = next(r["definition"] for r in policy["rules"]
                     if r["definition"]["filters"]["prefixMatch"] == ["${clipsContainerName}/"])
    assert clip_rule["actions"]["baseBlob"]["delete"]["daysAfterCreationGreaterThan"] == "clipRetentionDays"
    topic = one(st, "Microsoft.EventGrid/systemTopics")
    assert topic["properties"]["topicType"] == "Microsoft.Storage.StorageAccounts"


def test_service_bus_queue_dedupes_dead_letters_and_is_keyless():
    sb = module("servicebus")
    namespace = one(sb, "Microsoft.ServiceBus/namespaces")
    assert namespace["properties"]["disableLocalAuth"] is True
    assert namespace["sku"]["name"] in ("Standard", "Premium"), "duplicate detection needs Standard or above"
    queue = one(sb, "Microsoft.ServiceBus/namespaces/queues")["properties"]
    assert queue["requiresDuplicateDetection"] is True
    assert queue["deadLetteringOnMessageExpiration"] is True
    assert 1 <= default(sb, queue["maxDeliveryCount"]) <= 10
    assert re.fullmatch(r"PT\d+[MS]", default(sb, queue["lockDuration"]))


def test_postgres_is_entra_only_with_pgbouncer():
    pg = module("postgres")
    server = one(pg, "Microsoft.DBforPostgreSQL/flexibleServers")
    assert server["properties"]["authConfig"]["passwordAuth"] == "Disabled"
    assert server["properties"]["authConfig"]["activeDirectoryAuth"] == "Enabled"
    assert "administratorLoginPassword" not in server["properties"]
    assert default(pg, server["sku"]["tier"]) in ("GeneralPurpose", "MemoryOptimized"), "PgBouncer needs these tiers"
    parameters = {
        c["name"]: c["properties"]["value"]
        for c in resources_of_type(pg, "Microsoft.DBforPostgreSQL/flexibleServers/configurations")
    }
    assert parameters["pgbouncer.enabled"] == "true"
    assert {"pgbouncer.default_pool_size", "pgbouncer.max_client_conn"} <= set(parameters)
    assert one(pg, "Microsoft.DBforPostgreSQL/flexibleServers/databases")["name"] == "databaseName"
    assert one(pg, "Microsoft.DBforPostgreSQL/flexibleServers/administrators")


def test_ai_services_are_keyless_with_custom_domains_and_a_gpt4o_class_model():
    ai = module("ai")
    accounts = resources_of_type(ai, "Microsoft.CognitiveServices/accounts")
    assert {a["kind"] for a in accounts} == {"OpenAI", "SpeechServices"}
    for account in accounts:
        assert account["properties"]["disableLocalAuth"] is True
        assert account["properties"]["customSubDomainName"], "Entra tokens need the custom subdomain"
    model = one(ai, "Microsoft.CognitiveServices/accounts/deployments")["properties"]["model"]
    assert default(ai, model["name"]).startswith("gpt-4o"), "strict tool calling needs a gpt-4o-class model"


def test_monitoring_accepts_entra_only():
    mon = module("monitoring")
    assert one(mon, "Microsoft.Insights/components")["properties"]["DisableLocalAuth"] is True
    assert one(mon, "Microsoft.OperationalInsights/workspaces")["properties"]["features"]["disableLocalAuth"] is True


def test_parameters_file_matches_main_bicep():
    declared = set(main()["parameters"])
    given = json.loads((INFRA / "main.parameters.json").read_text())["parameters"]
    assert set(given) <= declared, set(given) - declared
    required = {n for n, p in main()["parameters"].items() if p.get("default") is None}
    assert required <= set(given), required - set(given)


def test_outputs_feed_the_hooks():
    outputs = set(main()["outputs"])
    hooks = "".join(p.read_text() for p in (INFRA / "hooks").iterdir() if p.suffix in (".sh", ".ps1", ".py"))
    used = set(re.findall(r"\b((?:AZURE|SERVICE|EVENTGRID|POSTGRES|FUNCTION|VOICEOPS)_[A-Z0-9_]+)", hooks))
    # set by azd itself or by the preprovision hook
    azd_set = {"AZURE_PRINCIPAL_NAME", "AZURE_PRINCIPAL_TYPE", "AZURE_DEPLOYER_IP"}
    missing = used - outputs - azd_set - {"VOICEOPS_PYTHON"}
    assert not missing, f"hooks read values main.bicep does not output: {missing}"
    assert "AZURE_FUNCTION_APP_NAME" in outputs


def test_worker_knows_the_queues_delivery_count():
    """The worker records a failure on the last delivery, so both must come from one parameter."""
    setting = json.dumps(app_settings()["VOICEOPS_MAX_DELIVERY_COUNT"])
    queue_param = main()["modules"]["serviceBus"]["config"]["params"]["maxDeliveryCount"]
    assert queue_param == "serviceBusMaxDeliveryCount" and queue_param in setting


def test_app_service_authentication_is_always_on_and_lets_the_webhook_through():
    fn = module("function")
    auth = next(r for r in fn["resources"].values() if r["type"] == "Microsoft.Web/sites/config")
    assert "condition" not in auth["config"], "without Easy Auth the principal headers could be forged"
    config = auth["config"]["properties"]
    assert config["platform"]["enabled"] is True
    assert config["globalValidation"]["requireAuthentication"] is True
    assert "/runtime/webhooks/blobs" in config["globalValidation"]["excludedPaths"]
    assert app_settings()["VOICEOPS_AUTH_MODE"] == "appservice"


@pytest.mark.parametrize("path", bicep_files(), ids=lambda p: str(p.relative_to(INFRA)))
def test_no_long_comment_runs_inside_a_block(path):
    """checkov bundles pycep-parser 0.5.1, which fails on 5+ consecutive comment lines inside a block:
    the file would drop out of the scan as a parsing error. Split long comments (checkov skips may sit
    anywhere inside the resource)."""
    depth = run = 0
    for number, line in enumerate(path.read_text().splitlines(), 1):
        stripped = line.strip()
        run = run + 1 if stripped.startswith("//") and depth > 0 else 0
        assert run < 5, f"{path.name}:{number}: five comment lines in a row inside a block"
        if not stripped.startswith("//"):
            depth += stripped.count("{") - stripped.count("}")
