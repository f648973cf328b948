-- trailproof scan --engine athena --dry-run: 1 queries, 1 rules
-- b8647e59-11a8-44fd-b693-f8e3d70aeada: candidates confirmed in process (a JSON path may cross an array, whose elements are tested in process)
-- correlation password-spray: grouped query (only groups that reach 5 in two adjacent 1h buckets are returned, whole)

-- query: events
-- partitions: timestamp 2026/08/31 .. 2026/10/01; region (all); account (all)
WITH scanned AS (
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
    json_format(CAST(ct.useridentity.sessioncontext.webidfederationdata.attributes AS JSON)) AS c20,
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
    json_format(CAST(ct.resources AS JSON)) AS c35,
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
    CASE WHEN ((COALESCE((lower(ct.eventsource) = 'signin.amazonaws.com'), FALSE) AND COALESCE((lower(ct.eventname) = 'consolelogin'), FALSE)) AND ((CASE WHEN ((json_array_length(json_extract(ct.responseelements, '$.ConsoleLogin')) IS NOT NULL)) THEN TRUE ELSE COALESCE((lower(json_extract_scalar(ct.responseelements, '$.ConsoleLogin')) = 'failure'), FALSE) END) OR COALESCE((lower(ct.errormessage) = 'failed authentication'), FALSE))) THEN 1 ELSE 0 END AS m0,
    ct.sourceipaddress AS g0_0,
    ct.useridentity.username AS v0,
    floor((to_unixtime(try(from_iso8601_timestamp(ct.eventtime))) * 1000) / 3600000) AS b0
  FROM cloudtrail_logs AS ct
  WHERE ct."timestamp" >= '2026/08/31'
    AND ct."timestamp" <= '2026/10/01'
    AND ct.eventtime >= '2026-09-01T00:00:00Z'
    AND ct.eventtime <= '2026-09-30T23:59:59Z'
), hits AS (
  SELECT *, m0 AS ms0 FROM scanned WHERE m0 = 1
), counts AS (
  SELECT CASE WHEN grouping(b0) = 0 THEN 0 END AS cid, g0_0, b0, count(DISTINCT CASE WHEN ms0 > 0 THEN v0 END) AS n0
  FROM hits GROUP BY GROUPING SETS ((g0_0, b0))
), unified AS (
  SELECT cid, CASE cid WHEN 0 THEN g0_0 END AS k0, CASE cid WHEN 0 THEN b0 END AS b, CASE cid WHEN 0 THEN n0 END AS n, CASE cid WHEN 0 THEN 5 END AS bound FROM counts
), hot AS (
  SELECT DISTINCT cid, k0
  FROM (
    SELECT cid, k0, b, n, bound, lag(b) OVER (PARTITION BY cid, k0 ORDER BY b) AS pb, lag(n) OVER (PARTITION BY cid, k0 ORDER BY b) AS pn FROM unified
  ) AS adjacent
  WHERE n + CASE WHEN pb = b - 1 THEN pn ELSE 0 END >= bound
)
SELECT hits.* FROM hits
LEFT JOIN hot AS h0 ON h0.cid = 0 AND h0.k0 IS NOT DISTINCT FROM hits.g0_0
WHERE (hits.ms0 > 0 AND h0.cid IS NOT NULL);
