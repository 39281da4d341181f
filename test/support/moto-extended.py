"""moto_server with the few write operations moto 5.2.1 lacks, so a printed fix can be run against it.

Run as moto_server is run (same arguments): `python3 moto-extended.py -H 127.0.0.1 -p PORT`. It adds, each
to the request and response shape of the AWS API reference, and nothing beyond what the fix commands need:

- CloudWatch EnableAlarmActions (moto raises NotImplementedError).
- API Gateway v2 UpdateStage (moto has no such route handler: PATCH answers 404).
- RDS ModifyDBCluster's CloudwatchLogsExportConfiguration (moto reads a parameter name the API does not have,
  so the cluster's log exports never change).
- Security Hub GetEnabledStandards and BatchEnableStandards (moto keeps no standards: EnableSecurityHub's
  EnableDefaultStandards, true by default, is dropped).
- EC2 GetEbsDefaultKmsKeyId (moto answers 500: it has ModifyEbsDefaultKmsKeyId but no read of what it set).
- CloudTrail GetTrailStatus's LatestCloudWatchLogsDeliveryTime (moto delivers nothing to CloudWatch Logs; AWS does,
  minutes after a logging trail is given a log group): now, for a logging trail with a log group, as moto already
  answers LatestDeliveryTime for its S3 delivery.
- AWS Config DescribeDeliveryChannelStatus (moto raises NotImplementedError): each delivery channel's history delivery,
  a success now once the recorder records, as AWS delivers to a bucket it may write to.

Every other request is moto's own. Each addition is checked in test/aws/moto-extended.test.ts.
"""

import json
import sys
from datetime import datetime

import moto
from moto.apigatewayv2.models import apigatewayv2_backends
from moto.apigatewayv2.responses import ApiGatewayV2Response
from moto.cloudtrail.responses import CloudTrailResponse
from moto.cloudwatch.responses import CloudWatchResponse
from moto.config.exceptions import NoSuchDeliveryChannelException
from moto.config.responses import ConfigResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.responses import EC2Response
from moto.rds.models import RDSBackend
from moto.securityhub import urls as securityhub_urls
from moto.securityhub.models import SecurityHubBackend
from moto.securityhub.responses import SecurityHubResponse
from moto.server import main

TESTED_WITH = "5.2."


def enable_alarm_actions(self):
    """EnableAlarmActions: AlarmNames (up to 100) get ActionsEnabled=true; the answer has no members.

    https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_EnableAlarmActions.html
    The reference lists no error for an unknown name: such names change nothing.
    """
    names = self._get_param("AlarmNames", [])
    for alarm in self.cloudwatch_backend.get_alarms_by_alarm_names(names):
        alarm.actions_enabled = True
    return EmptyResult()


# Members of the UpdateStage request body that are the stage's own settings (deploymentId, the stage's
# deployment, is left out: moto's v2 stages have none).
STAGE_SETTINGS = {
    "accessLogSettings": "access_log_settings",
    "autoDeploy": "auto_deploy",
    "clientCertificateId": "client_certificate_id",
    "defaultRouteSettings": "default_route_settings",
    "description": "description",
    "routeSettings": "route_settings",
    "stageVariables": "stage_variables",
}


def update_stage(self):
    """UpdateStage: PATCH /v2/apis/{apiId}/stages/{stageName}; each member sent replaces the stage's, the others
    stay; the answer is the stage, as GetStage returns it. An unknown API or stage is NotFoundException (404).

    https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages-stagename.html#UpdateStage
    """
    from urllib.parse import unquote

    parts = self.path.split("?")[0].split("/")
    api_id, stage_name = parts[-3], unquote(parts[-1])
    backend = apigatewayv2_backends[self.current_account][self.region]
    stage = backend.get_stage(api_id, stage_name)
    body = json.loads(self.body or "{}")
    for member, attribute in STAGE_SETTINGS.items():
        if member in body:
            setattr(stage, attribute, body[member])
    stage.updated = datetime.now()
    return 200, {}, json.dumps(stage.to_json())


original_modify_db_cluster = RDSBackend.modify_db_cluster


def modify_db_cluster(self, kwargs):
    """ModifyDBCluster with CloudwatchLogsExportConfiguration {EnableLogTypes, DisableLogTypes}: the cluster then
    exports (its log types - DisableLogTypes) + EnableLogTypes, each type once; the answer shows the new list.

    https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html
    https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CloudwatchLogsExportConfiguration.html
    """
    exports = kwargs.pop("cloudwatch_logs_export_configuration", None) or {}
    cluster = original_modify_db_cluster(self, kwargs)
    stored = self.clusters[cluster.db_cluster_identifier]
    enabled = [t for t in stored.enabled_cloudwatch_logs_exports if t not in exports.get("DisableLogTypes", [])]
    enabled += [t for t in exports.get("EnableLogTypes", []) if t not in enabled]
    stored.enabled_cloudwatch_logs_exports = enabled
    cluster.enabled_cloudwatch_logs_exports = list(enabled)
    return cluster


# The standards EnableSecurityHub subscribes to when EnableDefaultStandards is true (the default), per the API reference.
DEFAULT_STANDARDS = [
    "standards/aws-foundational-security-best-practices/v/1.0.0",
    "ruleset/cis-aws-foundations-benchmark/v/1.2.0",
]


def standards_of(backend):
    """The backend's subscriptions by standards ARN; kept on the backend, so moto's reset clears them."""
    if not hasattr(backend, "extended_standards"):
        backend.extended_standards = {}
    return backend.extended_standards


def subscribe(backend, standards_arn):
    name = standards_arn.split(":", 5)[-1].split("/", 1)[-1]
    subscription = f"arn:aws:securityhub:{backend.region_name}:{backend.account_id}:subscription/{name}"
    standards_of(backend)[standards_arn] = {
        "StandardsSubscriptionArn": subscription,
        "StandardsArn": standards_arn,
        "StandardsInput": {},
        "StandardsStatus": "READY",
    }
    return standards_of(backend)[standards_arn]


original_enable_security_hub = SecurityHubBackend.enable_security_hub


def enable_security_hub(self, enable_default_standards=True, tags=None):
    """EnableSecurityHub: with EnableDefaultStandards (true unless sent false) the hub subscribes to FSBP and CIS 1.2.

    https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_EnableSecurityHub.html
    """
    result = original_enable_security_hub(self, enable_default_standards=enable_default_standards, tags=tags)
    if enable_default_standards:
        for standard in DEFAULT_STANDARDS:
            arn = f"arn:aws:securityhub:{self.region_name}::{standard}" if standard.startswith("standards/") else f"arn:aws:securityhub:::{standard}"
            subscribe(self, arn)
    return result


def get_enabled_standards(self):
    """GetEnabledStandards: POST /standards/get; the subscriptions, all on one page (NextToken never set).

    https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetEnabledStandards.html
    """
    return json.dumps({"StandardsSubscriptions": list(standards_of(self.securityhub_backend).values())})


def batch_enable_standards(self):
    """BatchEnableStandards: POST /standards/register with StandardsSubscriptionRequests [{StandardsArn}].

    https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchEnableStandards.html
    """
    body = json.loads(self.body or "{}")
    subscribed = [subscribe(self.securityhub_backend, request["StandardsArn"]) for request in body.get("StandardsSubscriptionRequests", [])]
    return json.dumps({"StandardsSubscriptions": subscribed})


def get_ebs_default_kms_key_id(self):
    """GetEbsDefaultKmsKeyId: the key ModifyEbsDefaultKmsKeyId set, else alias/aws/ebs, as AWS answers before one is set.

    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetEbsDefaultKmsKeyId.html
    """
    self.error_on_dryrun()
    return ActionResult({"KmsKeyId": self.ec2_backend.default_kms_key_id or "alias/aws/ebs"})


def get_trail_status(self):
    """GetTrailStatus, with LatestCloudWatchLogsDeliveryTime for a logging trail that has a log group.

    https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
    """
    name = self._get_param("Name")
    answer = self.cloudtrail_backend.get_trail_status(name).description()
    trail = next(t for t in self.cloudtrail_backend.describe_trails(include_shadow_trails=True) if name in (t.trail_name, t.arn))
    if answer["IsLogging"] and trail.cw_log_group_arn:
        answer["LatestCloudWatchLogsDeliveryTime"] = answer.get("LatestDeliveryTime") or int(datetime.now().timestamp())
    return json.dumps(answer)


def describe_delivery_channel_status(self):
    """DescribeDeliveryChannelStatus: DeliveryChannelNames (all when absent), each with its configHistoryDeliveryInfo:
    Success now while a recorder records, else Not_Applicable (nothing attempted). An unknown name is
    NoSuchDeliveryChannelException.

    https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeDeliveryChannelStatus.html
    """
    backend = self.config_backend
    names = self._get_param("DeliveryChannelNames") or list(backend.delivery_channels)
    for name in names:
        if name not in backend.delivery_channels:
            raise NoSuchDeliveryChannelException(name)
    now = int(datetime.now().timestamp())
    recording = any(recorder.status.recording for recorder in backend.recorders.values())
    history = {"lastStatus": "Success", "lastAttemptTime": now, "lastSuccessfulTime": now} if recording else {"lastStatus": "Not_Applicable"}
    return json.dumps({"DeliveryChannelsStatus": [{"name": name, "configHistoryDeliveryInfo": history} for name in names]})


if __name__ == "__main__":
    if not moto.__version__.startswith(TESTED_WITH):
        # The additions replace moto's own handlers: on another moto they may hide a fix of its own, or break.
        sys.stderr.write(f"moto-extended.py was written for moto {TESTED_WITH}x, found {moto.__version__}\n")
    CloudWatchResponse.enable_alarm_actions = enable_alarm_actions
    ApiGatewayV2Response.update_stage = update_stage
    RDSBackend.modify_db_cluster = modify_db_cluster
    SecurityHubBackend.enable_security_hub = enable_security_hub
    SecurityHubResponse.get_enabled_standards = get_enabled_standards
    SecurityHubResponse.batch_enable_standards = batch_enable_standards
    EC2Response.get_ebs_default_kms_key_id = get_ebs_default_kms_key_id
    CloudTrailResponse.get_trail_status = get_trail_status
    ConfigResponse.describe_delivery_channel_status = describe_delivery_channel_status
    securityhub_urls.url_paths["{0}/standards/get$"] = SecurityHubResponse.dispatch
    securityhub_urls.url_paths["{0}/standards/register$"] = SecurityHubResponse.dispatch
    main(sys.argv[1:])
