-- trailproof scan --engine athena --dry-run: 1 queries, 1 rules
-- s3-bucket-made-public: candidates confirmed in process (the regular expression /\{(?=(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*?"Effect"\s*:\s*"Allow")(?=(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*?"Principal"\s*:\s*(?:"\*"|\{\s*"AWS"\s*:\s*(?:"\*"|\[[^\]]*"\*"[^\]]*\])\s*\}))(?!(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*?"Condition"\s*:)/ uses syntax SQL engines do not share with JavaScript; a JSON path may cross an array, whose elements are tested in process)

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
    CASE WHEN ((COALESCE((lower(ct.eventsource) = 's3.amazonaws.com'), FALSE) AND (ct.errorcode IS NULL) AND (ct.errormessage IS NULL)) AND (((COALESCE(((lower(ct.eventname) = 'putbucketacl') OR (lower(ct.eventname) = 'createbucket')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$.AccessControlPolicy')) IS NOT NULL) OR (json_array_length(json_extract(ct.requestparameters, '$.AccessControlPolicy.AccessControlList')) IS NOT NULL) OR (json_array_length(json_extract(ct.requestparameters, '$.AccessControlPolicy.AccessControlList.Grant')) IS NOT NULL) OR (json_array_length(json_extract(ct.requestparameters, '$.AccessControlPolicy.AccessControlList.Grant.Grantee')) IS NOT NULL) OR (json_array_length(json_extract(ct.requestparameters, '$.AccessControlPolicy.AccessControlList.Grant.Grantee.URI')) IS NOT NULL)) THEN TRUE ELSE COALESCE(((lower(json_extract_scalar(ct.requestparameters, '$.AccessControlPolicy.AccessControlList.Grant.Grantee.URI')) LIKE '%/global/allusers' ESCAPE '\') OR (lower(json_extract_scalar(ct.requestparameters, '$.AccessControlPolicy.AccessControlList.Grant.Grantee.URI')) LIKE '%/global/authenticatedusers' ESCAPE '\')), FALSE) END)) OR (COALESCE(((lower(ct.eventname) = 'putbucketacl') OR (lower(ct.eventname) = 'createbucket')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$["x-amz-acl"]')) IS NOT NULL)) THEN TRUE ELSE COALESCE(((lower(json_extract_scalar(ct.requestparameters, '$["x-amz-acl"]')) = 'public-read') OR (lower(json_extract_scalar(ct.requestparameters, '$["x-amz-acl"]')) = 'public-read-write') OR (lower(json_extract_scalar(ct.requestparameters, '$["x-amz-acl"]')) = 'authenticated-read')), FALSE) END)) OR ((COALESCE(((lower(ct.eventname) = 'putbucketacl') OR (lower(ct.eventname) = 'createbucket')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$["x-amz-grant-read"]')) IS NOT NULL)) THEN TRUE ELSE COALESCE((lower(json_extract_scalar(ct.requestparameters, '$["x-amz-grant-read"]')) LIKE '%acs.amazonaws.com/groups/global/%' ESCAPE '\'), FALSE) END)) OR (COALESCE(((lower(ct.eventname) = 'putbucketacl') OR (lower(ct.eventname) = 'createbucket')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$["x-amz-grant-write"]')) IS NOT NULL)) THEN TRUE ELSE COALESCE((lower(json_extract_scalar(ct.requestparameters, '$["x-amz-grant-write"]')) LIKE '%acs.amazonaws.com/groups/global/%' ESCAPE '\'), FALSE) END)) OR (COALESCE(((lower(ct.eventname) = 'putbucketacl') OR (lower(ct.eventname) = 'createbucket')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$["x-amz-grant-read-acp"]')) IS NOT NULL)) THEN TRUE ELSE COALESCE((lower(json_extract_scalar(ct.requestparameters, '$["x-amz-grant-read-acp"]')) LIKE '%acs.amazonaws.com/groups/global/%' ESCAPE '\'), FALSE) END)) OR (COALESCE(((lower(ct.eventname) = 'putbucketacl') OR (lower(ct.eventname) = 'createbucket')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$["x-amz-grant-write-acp"]')) IS NOT NULL)) THEN TRUE ELSE COALESCE((lower(json_extract_scalar(ct.requestparameters, '$["x-amz-grant-write-acp"]')) LIKE '%acs.amazonaws.com/groups/global/%' ESCAPE '\'), FALSE) END)) OR (COALESCE(((lower(ct.eventname) = 'putbucketacl') OR (lower(ct.eventname) = 'createbucket')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$["x-amz-grant-full-control"]')) IS NOT NULL)) THEN TRUE ELSE COALESCE((lower(json_extract_scalar(ct.requestparameters, '$["x-amz-grant-full-control"]')) LIKE '%acs.amazonaws.com/groups/global/%' ESCAPE '\'), FALSE) END)))) OR (COALESCE((lower(ct.eventname) = 'putbucketpolicy'), FALSE) AND TRUE) OR COALESCE(((lower(ct.eventname) = 'deletebucketpublicaccessblock') OR (lower(ct.eventname) = 'deleteaccountpublicaccessblock') OR (lower(ct.eventname) = 'deletepublicaccessblock')), FALSE) OR ((COALESCE(((lower(ct.eventname) = 'putbucketpublicaccessblock') OR (lower(ct.eventname) = 'putaccountpublicaccessblock') OR (lower(ct.eventname) = 'putpublicaccessblock')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$.PublicAccessBlockConfiguration')) IS NOT NULL) OR (json_array_length(json_extract(ct.requestparameters, '$.PublicAccessBlockConfiguration.BlockPublicAcls')) IS NOT NULL)) THEN TRUE ELSE COALESCE((lower(json_extract_scalar(ct.requestparameters, '$.PublicAccessBlockConfiguration.BlockPublicAcls')) = 'false'), FALSE) END)) OR (COALESCE(((lower(ct.eventname) = 'putbucketpublicaccessblock') OR (lower(ct.eventname) = 'putaccountpublicaccessblock') OR (lower(ct.eventname) = 'putpublicaccessblock')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$.PublicAccessBlockConfiguration')) IS NOT NULL) OR (json_array_length(json_extract(ct.requestparameters, '$.PublicAccessBlockConfiguration.IgnorePublicAcls')) IS NOT NULL)) THEN TRUE ELSE COALESCE((lower(json_extract_scalar(ct.requestparameters, '$.PublicAccessBlockConfiguration.IgnorePublicAcls')) = 'false'), FALSE) END)) OR (COALESCE(((lower(ct.eventname) = 'putbucketpublicaccessblock') OR (lower(ct.eventname) = 'putaccountpublicaccessblock') OR (lower(ct.eventname) = 'putpublicaccessblock')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$.PublicAccessBlockConfiguration')) IS NOT NULL) OR (json_array_length(json_extract(ct.requestparameters, '$.PublicAccessBlockConfiguration.BlockPublicPolicy')) IS NOT NULL)) THEN TRUE ELSE COALESCE((lower(json_extract_scalar(ct.requestparameters, '$.PublicAccessBlockConfiguration.BlockPublicPolicy')) = 'false'), FALSE) END)) OR (COALESCE(((lower(ct.eventname) = 'putbucketpublicaccessblock') OR (lower(ct.eventname) = 'putaccountpublicaccessblock') OR (lower(ct.eventname) = 'putpublicaccessblock')), FALSE) AND (CASE WHEN ((json_array_length(json_extract(ct.requestparameters, '$.PublicAccessBlockConfiguration')) IS NOT NULL) OR (json_array_length(json_extract(ct.requestparameters, '$.PublicAccessBlockConfiguration.RestrictPublicBuckets')) IS NOT NULL)) THEN TRUE ELSE COALESCE((lower(json_extract_scalar(ct.requestparameters, '$.PublicAccessBlockConfiguration.RestrictPublicBuckets')) = 'false'), FALSE) END))))) THEN 1 ELSE 0 END AS m0
  FROM cloudtrail_logs AS ct
  WHERE ct."timestamp" >= '2026/08/31'
    AND ct."timestamp" <= '2026/10/01'
    AND ct.eventtime >= '2026-09-01T00:00:00Z'
    AND ct.eventtime <= '2026-09-30T23:59:59Z'
) AS matched
WHERE m0 = 1;
