import type { AwsRequest, AwsResponse } from '../endpoint';
import { escapeXml } from '../xml';
import { invalidArgument, S3Error } from './errors';
import { firstValue } from './header-values';
import { childrenNamed, childText, parseBody, rawXmlDocument, toXml, type XmlElement } from './xml';

export type GranteeType = 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail';
export const PERMISSIONS = ['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** One grant of an access control list: who (by canonical id, group URI or e-mail) may do what. */
export interface Grant {
  type: GranteeType;
  /** The canonical id, the group's URI or the e-mail address. */
  value: string;
  permission: Permission;
}

const GROUP = 'http://acs.amazonaws.com/groups/';
const ALL_USERS = `${GROUP}global/AllUsers`;
const AUTHENTICATED = `${GROUP}global/AuthenticatedUsers`;
const LOG_DELIVERY = `${GROUP}s3/LogDelivery`;

/** The grants of each canned ACL besides the owner's FULL_CONTROL (the bucket's owner is the object's here). */
const CANNED: Record<string, Array<[string, Permission]>> = {
  private: [],
  'public-read': [[ALL_USERS, 'READ']],
  'public-read-write': [
    [ALL_USERS, 'READ'],
    [ALL_USERS, 'WRITE'],
  ],
  'authenticated-read': [[AUTHENTICATED, 'READ']],
  'aws-exec-read': [],
  'bucket-owner-read': [],
  'bucket-owner-full-control': [],
  'log-delivery-write': [
    [LOG_DELIVERY, 'WRITE'],
    [LOG_DELIVERY, 'READ_ACP'],
  ],
};

/** The ACL a resource has when none was given: its owner's FULL_CONTROL. */
export function defaultAcl(owner: string): Grant[] {
  return [{ type: 'CanonicalUser', value: owner, permission: 'FULL_CONTROL' }];
}

const GRANT_HEADERS: Array<[string, Permission]> = [
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
];

const GRANTEE_KEYS: Record<string, GranteeType> = {
  id: 'CanonicalUser',
  uri: 'Group',
  emailaddress: 'AmazonCustomerByEmail',
};

/**
 * The ACL a request's headers give: a canned `x-amz-acl`, or `x-amz-grant-*` lists
 * (`id="..."`, `uri="..."`, `emailAddress="..."`); undefined when it gives none. Both at once is
 * refused, as S3 refuses it.
 */
export function aclFromHeaders(
  header: (name: string) => string | undefined,
  owner: string,
): Grant[] | undefined {
  const canned = header('x-amz-acl');
  const granted = GRANT_HEADERS.flatMap(([name, permission]) => {
    const value = header(name);
    return value === undefined ? [] : parseGrantHeader(name, value, permission);
  });
  if (canned !== undefined && granted.length) {
    throw new S3Error(400, 'InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  }
  if (canned !== undefined) {
    const extra = CANNED[canned];
    if (extra === undefined) throw invalidArgument('', 'x-amz-acl', canned);
    return [
      ...defaultAcl(owner),
      ...extra.map(([uri, permission]): Grant => ({ type: 'Group', value: uri, permission })),
    ];
  }
  return granted.length ? granted : undefined;
}

function parseGrantHeader(name: string, value: string, permission: Permission): Grant[] {
  return value.split(',').map((item) => {
    const match = /^\s*([A-Za-z]+)\s*=\s*"?([^"]*)"?\s*$/.exec(item);
    const type = match && GRANTEE_KEYS[match[1].toLowerCase()];
    if (!match || !type) throw invalidArgument('Argument format not recognized', name, value);
    return { type, value: match[2], permission };
  });
}

const malformedAcl = () =>
  new S3Error(
    400,
    'MalformedACLError',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

/** An `<AccessControlPolicy>` body: each grantee is read by the element it has (ID, URI, EmailAddress). */
export function aclFromBody(body: Buffer): Grant[] {
  const list = childrenNamed(parseBody(body, 'AccessControlPolicy'), 'AccessControlList');
  if (list.length !== 1) throw malformedAcl();
  return childrenNamed(list[0], 'Grant').map(grantOf);
}

function grantOf(element: XmlElement): Grant {
  const grantee = childrenNamed(element, 'Grantee')[0];
  const permission = childText(element, 'Permission')?.trim() as Permission | undefined;
  if (!grantee || !permission || !PERMISSIONS.includes(permission)) throw malformedAcl();
  const [type, value] =
    (
      [
        ['CanonicalUser', childText(grantee, 'ID')],
        ['Group', childText(grantee, 'URI')],
        ['AmazonCustomerByEmail', childText(grantee, 'EmailAddress')],
      ] as Array<[GranteeType, string | undefined]>
    ).find(([, text]) => text !== undefined) ?? [];
  if (type === undefined || value === undefined) throw malformedAcl();
  return { type, value: value.trim(), permission };
}

/** The grants a Put*Acl request sets: from its headers, else from its body. */
export function aclFromRequest(request: AwsRequest, owner: string): Grant[] {
  const fromHeaders = aclFromHeaders((name) => firstValue(request.headers[name]), owner);
  if (fromHeaders) return fromHeaders;
  if (request.body.length === 0) throw malformedAcl();
  return aclFromBody(request.body);
}

const ELEMENT: Record<GranteeType, string> = {
  CanonicalUser: 'ID',
  Group: 'URI',
  AmazonCustomerByEmail: 'EmailAddress',
};

/** Get*Acl's answer; the grantee's type is an `xsi:type` attribute, as S3 writes it. */
export function aclResponse(owner: string, grants: Grant[]): AwsResponse {
  const list = grants
    .map(
      (g) =>
        `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${g.type}">` +
        `<${ELEMENT[g.type]}>${escapeXml(g.value)}</${ELEMENT[g.type]}></Grantee>` +
        `<Permission>${g.permission}</Permission></Grant>`,
    )
    .join('');
  const body = rawXmlDocument(
    'AccessControlPolicy',
    `${toXml({ Owner: { ID: owner } })}<AccessControlList>${list}</AccessControlList>`,
  );
  return { status: 200, headers: { 'content-type': 'application/xml' }, body };
}
