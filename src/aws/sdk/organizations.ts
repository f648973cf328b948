// The @aws-sdk/client-organizations names trailproof uses, re-exported so that only src/aws names the SDK (a lint rule
// forbids it elsewhere). One module per service keeps each SDK package loaded only where its service is used.
export {
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
  paginateListAccounts,
  paginateListDelegatedAdministrators,
  type Account,
  type Organization,
} from '@aws-sdk/client-organizations';
