-- trailproof scan --engine lake --dry-run: 1 queries, 1 rules
-- correlation password-spray: grouped query (only groups that reach 5 in two adjacent 1h buckets are returned, whole)

-- query: events
-- partitions: (table not partitioned: every file)
WITH scanned AS (
  SELECT
    ct.eventVersion AS c0,
    ct.userIdentity.type AS c1,
    ct.userIdentity.principalId AS c2,
    ct.userIdentity.arn AS c3,
    ct.userIdentity.accountId AS c4,
    ct.userIdentity.accessKeyId AS c5,
    ct.userIdentity.userName AS c6,
    ct.userIdentity.invokedBy AS c7,
    ct.userIdentity.identityProvider AS c8,
    ct.userIdentity.credentialId AS c9,
    ct.userIdentity.sessionContext.attributes.creationDate AS c10,
    ct.userIdentity.sessionContext.attributes.mfaAuthenticated AS c11,
    ct.userIdentity.sessionContext.sessionIssuer.type AS c12,
    ct.userIdentity.sessionContext.sessionIssuer.principalId AS c13,
    ct.userIdentity.sessionContext.sessionIssuer.arn AS c14,
    ct.userIdentity.sessionContext.sessionIssuer.accountId AS c15,
    ct.userIdentity.sessionContext.sessionIssuer.userName AS c16,
    ct.userIdentity.sessionContext.webIdFederationData.federatedProvider AS c17,
    json_format(CAST(ct.userIdentity.sessionContext.webIdFederationData.attributes AS JSON)) AS c18,
    ct.userIdentity.sessionContext.sourceIdentity AS c19,
    ct.userIdentity.sessionContext.ec2RoleDelivery AS c20,
    ct.userIdentity.sessionContext.ec2IssuedInVPC AS c21,
    ct.userIdentity.onBehalfOf.userId AS c22,
    ct.userIdentity.onBehalfOf.identityStoreArn AS c23,
    to_iso8601(ct.eventTime) AS c24,
    ct.eventSource AS c25,
    ct.eventName AS c26,
    ct.awsRegion AS c27,
    ct.sourceIPAddress AS c28,
    ct.userAgent AS c29,
    ct.errorCode AS c30,
    ct.errorMessage AS c31,
    json_format(CAST(ct.requestParameters AS JSON)) AS c32,
    json_format(CAST(ct.responseElements AS JSON)) AS c33,
    json_format(CAST(ct.additionalEventData AS JSON)) AS c34,
    ct.requestID AS c35,
    ct.eventID AS c36,
    CAST(ct.readOnly AS VARCHAR) AS c37,
    json_format(CAST(ct.resources AS JSON)) AS c38,
    ct.eventType AS c39,
    ct.apiVersion AS c40,
    CAST(ct.managementEvent AS VARCHAR) AS c41,
    ct.recipientAccountId AS c42,
    ct.sharedEventID AS c43,
    ct.annotation AS c44,
    ct.vpcEndpointId AS c45,
    ct.vpcEndpointAccountId AS c46,
    json_format(CAST(ct.serviceEventDetails AS JSON)) AS c47,
    ct.addendum.reason AS c48,
    ct.addendum.updatedFields AS c49,
    ct.addendum.originalRequestID AS c50,
    ct.addendum.originalEventID AS c51,
    ct.edgeDeviceDetails AS c52,
    ct.eventCategory AS c53,
    ct.tlsDetails.tlsVersion AS c54,
    ct.tlsDetails.cipherSuite AS c55,
    ct.tlsDetails.clientProvidedHostHeader AS c56,
    ct.sessionCredentialFromConsole AS c57,
    CASE WHEN ((COALESCE((lower(ct.eventSource) = 'signin.amazonaws.com'), FALSE) AND COALESCE((lower(ct.eventName) = 'consolelogin'), FALSE)) AND (COALESCE((lower(element_at(ct.responseElements, 'ConsoleLogin')) = 'failure'), FALSE) OR COALESCE((lower(ct.errorMessage) = 'failed authentication'), FALSE))) THEN 1 ELSE 0 END AS m0,
    ct.sourceIPAddress AS g0_0,
    ct.userIdentity.userName AS v0,
    floor((to_unixtime(ct.eventTime) * 1000) / 3600000) AS b0
  FROM "EXAMPLE-f852-4e8f" AS ct
  WHERE ct.eventTime >= TIMESTAMP '2026-09-01 00:00:00'
    AND ct.eventTime <= TIMESTAMP '2026-09-30 23:59:59'
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
