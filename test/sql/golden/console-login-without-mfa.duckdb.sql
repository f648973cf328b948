-- trailproof scan --engine duckdb --dry-run: 1 queries, 1 rules
-- console-login-without-mfa: candidates confirmed in process (a JSON path may cross an array, whose elements are tested in process)

-- query: events
-- partitions: timestamp 2026/08/31 .. 2026/10/01; region (all); account (all)
SELECT *
FROM (
  SELECT
    ct.eventversion AS c0,
    ct.useridentity.type AS c1,
    ct.useridentity.principalid AS c2,
    ct.useridentity.arn AS c3,
    ct.useridentity.accountid AS c4,
    ct.useridentity.invokedby AS c5,
    ct.useridentity.accesskeyid AS c6,
    ct.useridentity.username AS c7,
    ct.useridentity.onbehalfof.userid AS c8,
    ct.useridentity.onbehalfof.identitystorearn AS c9,
    ct.useridentity.sessioncontext.attributes.mfaauthenticated AS c10,
    ct.useridentity.sessioncontext.attributes.creationdate AS c11,
    ct.useridentity.sessioncontext.sessionissuer.type AS c12,
    ct.useridentity.sessioncontext.sessionissuer.principalid AS c13,
    ct.useridentity.sessioncontext.sessionissuer.arn AS c14,
    ct.useridentity.sessioncontext.sessionissuer.accountid AS c15,
    ct.useridentity.sessioncontext.sessionissuer.username AS c16,
    ct.useridentity.sessioncontext.ec2roledelivery AS c17,
    ct.useridentity.sessioncontext.sourceidentity AS c18,
    ct.useridentity.sessioncontext.webidfederationdata.federatedprovider AS c19,
    CAST(to_json(ct.useridentity.sessioncontext.webidfederationdata.attributes) AS VARCHAR) AS c20,
    ct.eventtime AS c21,
    ct.eventsource AS c22,
    ct.eventname AS c23,
    ct.awsregion AS c24,
    ct.sourceipaddress AS c25,
    ct.useragent AS c26,
    ct.errorcode AS c27,
    ct.errormessage AS c28,
    ct.requestparameters AS c29,
    ct.responseelements AS c30,
    ct.additionaleventdata AS c31,
    ct.requestid AS c32,
    ct.eventid AS c33,
    ct.readonly AS c34,
    CAST(to_json(ct.resources) AS VARCHAR) AS c35,
    ct.eventtype AS c36,
    ct.apiversion AS c37,
    ct.managementevent AS c38,
    ct.recipientaccountid AS c39,
    ct.serviceeventdetails AS c40,
    ct.sharedeventid AS c41,
    ct.vpcendpointid AS c42,
    ct.vpcendpointaccountid AS c43,
    ct.eventcategory AS c44,
    ct.addendum.reason AS c45,
    ct.addendum.updatedfields AS c46,
    ct.addendum.originalrequestid AS c47,
    ct.addendum.originaleventid AS c48,
    ct.sessioncredentialfromconsole AS c49,
    ct.edgedevicedetails AS c50,
    ct.tlsdetails.tlsversion AS c51,
    ct.tlsdetails.ciphersuite AS c52,
    ct.tlsdetails.clientprovidedhostheader AS c53,
    CASE WHEN ((COALESCE((lower(ct.eventsource) = 'signin.amazonaws.com'), FALSE) AND COALESCE((lower(ct.eventname) = 'consolelogin'), FALSE) AND (CASE WHEN (COALESCE(json_type(ct.responseelements, '$.ConsoleLogin') = 'ARRAY', FALSE)) THEN TRUE ELSE COALESCE((lower((CASE WHEN json_type(ct.responseelements, '$.ConsoleLogin') IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(ct.responseelements, '$.ConsoleLogin') END)) = 'success'), FALSE) END) AND COALESCE(((lower(ct.useridentity.type) = 'iamuser') OR (lower(ct.useridentity.type) = 'root')), FALSE) AND (ct.errorcode IS NULL) AND (ct.errormessage IS NULL)) AND (NOT (CASE WHEN (COALESCE(json_type(ct.additionaleventdata, '$.MFAUsed') = 'ARRAY', FALSE)) THEN FALSE ELSE COALESCE((lower((CASE WHEN json_type(ct.additionaleventdata, '$.MFAUsed') IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(ct.additionaleventdata, '$.MFAUsed') END)) = 'yes'), FALSE) END))) THEN 1 ELSE 0 END AS m0
  FROM cloudtrail_logs AS ct
  WHERE ct."timestamp" >= '2026/08/31'
    AND ct."timestamp" <= '2026/10/01'
    AND ct.eventtime >= '2026-09-01T00:00:00Z'
    AND ct.eventtime <= '2026-09-30T23:59:59Z'
) AS matched
WHERE m0 = 1;
