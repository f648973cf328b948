"""Runs the AWS CLI's own validate-logs code (awscli.customizations.cloudtrail.validation) over a local copy
of a log bucket, with its S3, CloudTrail and Organizations clients stubbed to read that copy, and prints
what the CLI printed as JSON. trailproof's tests compare their per-file verdicts with these.

Usage: python3 aws_cli_reference.py CONFIG.json
CONFIG: {"dir", "trailArn", "bucket", "prefix", "organizationId", "accountId", "sourceRegion",
         "start", "end", "publicKeys": ListPublicKeys output}
Exit 0 with {"exit", "stdout", "stderr"}, where "exit" is what the CLI's own _run_main returned (its
process exit status); exit 3 when awscli is not installed.
"""
import contextlib
import io
import json
import os
import sys

try:
    from awscli.customizations.cloudtrail import validation
    from botocore.exceptions import ClientError
    from dateutil import parser as dateparser
except ImportError as err:  # pragma: no cover - the test skips with a notice
    sys.stderr.write(f"awscli not available: {err}\n")
    sys.exit(3)

SIDECAR = ".metadata.json"


class LocalS3:
    """The S3 calls the validator makes, answered from a local folder (one folder stands for every bucket)."""

    def __init__(self, root):
        self.root = root
        keys = []
        for folder, _dirs, files in os.walk(root):
            for name in files:
                if name.endswith(SIDECAR):
                    continue
                keys.append(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
        self.keys = sorted(keys, key=lambda k: k.encode("utf-8"))

    def get_paginator(self, _name):
        return self

    def paginate(self, Bucket, Marker, Prefix):
        keys = [k for k in self.keys if k.startswith(Prefix) and k.encode() > Marker.encode()]
        return Search(keys)

    def get_object(self, Bucket, Key):
        path = os.path.join(self.root, *Key.split("/"))
        if not os.path.isfile(path):
            raise ClientError({"Error": {"Code": "NoSuchKey", "Message": "The specified key does not exist."}}, "GetObject")
        metadata = {}
        if os.path.isfile(path + SIDECAR):
            with open(path + SIDECAR, encoding="utf-8") as f:
                metadata = {k.lower(): v for k, v in json.load(f).items()}
        with open(path, "rb") as f:
            body = f.read()
        return {"Body": io.BytesIO(body), "Metadata": metadata}


class Search:
    def __init__(self, keys):
        self.keys = keys

    def search(self, _expression):
        return iter(self.keys)


class ClientProvider:
    def __init__(self, s3):
        self.s3 = s3

    def get_client(self, _bucket):
        return self.s3


class CloudTrailStub:
    def __init__(self, config):
        self.config = config

    def describe_trails(self):
        trail = {"TrailARN": self.config["trailArn"], "S3BucketName": self.config["bucket"],
                 "IsOrganizationTrail": bool(self.config.get("organizationId"))}
        if self.config.get("prefix"):
            trail["S3KeyPrefix"] = self.config["prefix"]
        return {"trailList": [trail]}

    def list_public_keys(self, StartTime, EndTime):
        # What ListPublicKeys does: the keys valid at some point within the range.
        out = []
        for key in self.config["publicKeys"]["PublicKeyList"]:
            start = dateparser.parse(key["ValidityStartTime"]) if key.get("ValidityStartTime") else None
            end = dateparser.parse(key["ValidityEndTime"]) if key.get("ValidityEndTime") else None
            if start is not None and start > EndTime:
                continue
            if end is not None and end < StartTime:
                continue
            out.append(key)
        return {"PublicKeyList": out}


class OrganizationsStub:
    def __init__(self, config):
        self.config = config

    def describe_organization(self):
        return {"Organization": {"Id": self.config["organizationId"]}}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        config = json.load(f)
    command = validation.CloudTrailValidateLogs(session=None)
    # _run_main parses the arguments and builds AWS clients before it validates; the fields those two
    # steps set are set here instead, and the steps replaced with nothing, so the exit status is the CLI's.
    command.handle_args = lambda _args: None
    command.setup_services = lambda _globals: None
    command.trail_arn = config["trailArn"]
    command.is_verbose = True
    command.s3_bucket = None
    command.s3_prefix = None
    command.account_id = config.get("accountId")
    command.start_time = validation.normalize_date(validation.parse_date(config["start"]))
    command.end_time = validation.normalize_date(validation.parse_date(config["end"]))
    command._source_region = config["sourceRegion"]
    command.s3_client_provider = ClientProvider(LocalS3(config["dir"]))
    command.cloudtrail_client = CloudTrailStub(config)
    command.organization_client = OrganizationsStub(config)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = command._run_main(None, None)
    json.dump({"exit": status, "stdout": out.getvalue(), "stderr": err.getvalue()}, sys.stdout)


if __name__ == "__main__":
    main()
