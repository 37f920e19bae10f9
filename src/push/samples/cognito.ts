import type {
  CreateAuthChallengeTriggerEvent,
  CustomEmailSenderSignUpTriggerEvent,
  CustomMessageSignUpTriggerEvent,
  CustomSMSSenderSignUpTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PostAuthenticationTriggerEvent,
  PostConfirmationConfirmSignUpTriggerEvent,
  PreAuthenticationTriggerEvent,
  PreSignUpEmailTriggerEvent,
  PreTokenGenerationAuthenticationTriggerEvent,
  UserMigrationAuthenticationTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';
import type { CognitoEvent } from '../../service/model';
import type { COGNITO_TRIGGERS } from '../../service/events/others';
import { ALPHABETS, derive, deriveBytes, isObject, type SampleContext } from './context';

export type CognitoTrigger = (typeof COGNITO_TRIGGERS)[number];

/** The event each `trigger` of a `cognitoUserPool` event receives, for its most common source. */
export interface CognitoTriggerEvents {
  PreSignUp: PreSignUpEmailTriggerEvent;
  PostConfirmation: PostConfirmationConfirmSignUpTriggerEvent;
  PreAuthentication: PreAuthenticationTriggerEvent;
  PostAuthentication: PostAuthenticationTriggerEvent;
  PreTokenGeneration: PreTokenGenerationAuthenticationTriggerEvent;
  CustomMessage: CustomMessageSignUpTriggerEvent;
  DefineAuthChallenge: DefineAuthChallengeTriggerEvent;
  CreateAuthChallenge: CreateAuthChallengeTriggerEvent;
  VerifyAuthChallengeResponse: VerifyAuthChallengeResponseTriggerEvent;
  UserMigration: UserMigrationAuthenticationTriggerEvent;
  CustomSMSSender: CustomSMSSenderSignUpTriggerEvent;
  CustomEmailSender: CustomEmailSenderSignUpTriggerEvent;
}

/** The fields every trigger event shares (`version` to `callerContext`), and the user it is about. */
interface Common {
  version: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
}

interface User {
  /** The attributes of an existing, confirmed user. */
  attributes: Record<string, string>;
  /** What a user signing up submits. */
  submitted: Record<string, string>;
}

/**
 * Where @types/aws-lambda types a field Cognito fills itself (`boolean`, an object) but Cognito sends
 * null until the function sets it (captured events: response.issueTokens, claimsOverrideDetails,
 * groupConfiguration.preferredRole, validationData), the sample carries Cognito's null.
 */
const unset = <T>() => null as unknown as T;

type Builders = { [T in CognitoTrigger]: (common: Common, user: User) => CognitoTriggerEvents[T] };

const BUILDERS: Builders = {
  PreSignUp: (common, user) => ({
    ...common,
    triggerSource: 'PreSignUp_SignUp',
    request: { userAttributes: user.submitted, validationData: unset() },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  }),
  PostConfirmation: (common, user) => ({
    ...common,
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    request: { userAttributes: user.attributes },
    response: {},
  }),
  PreAuthentication: (common, user) => ({
    ...common,
    triggerSource: 'PreAuthentication_Authentication',
    request: { userAttributes: user.attributes, validationData: unset(), userNotFound: false },
    response: {},
  }),
  PostAuthentication: (common, user) => ({
    ...common,
    triggerSource: 'PostAuthentication_Authentication',
    request: { userAttributes: user.attributes, newDeviceUsed: false },
    response: {},
  }),
  PreTokenGeneration: (common, user) => ({
    ...common,
    triggerSource: 'TokenGeneration_Authentication',
    request: {
      userAttributes: user.attributes,
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: unset() },
    },
    response: { claimsOverrideDetails: unset() },
  }),
  CustomMessage: (common, user) => ({
    ...common,
    triggerSource: 'CustomMessage_SignUp',
    request: {
      userAttributes: { ...user.attributes, 'cognito:user_status': 'UNCONFIRMED', email_verified: 'false' },
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: null,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  }),
  DefineAuthChallenge: (common, user) => ({
    ...common,
    triggerSource: 'DefineAuthChallenge_Authentication',
    request: { userAttributes: user.attributes, session: [], userNotFound: false },
    response: { challengeName: unset(), issueTokens: unset(), failAuthentication: unset() },
  }),
  CreateAuthChallenge: (common, user) => ({
    ...common,
    triggerSource: 'CreateAuthChallenge_Authentication',
    request: {
      userAttributes: user.attributes,
      challengeName: 'CUSTOM_CHALLENGE',
      session: [],
      userNotFound: false,
    },
    response: {
      publicChallengeParameters: unset(),
      privateChallengeParameters: unset(),
      challengeMetadata: unset(),
    },
  }),
  VerifyAuthChallengeResponse: (common, user) => ({
    ...common,
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: {
      userAttributes: user.attributes,
      privateChallengeParameters: { answer: '42' },
      challengeAnswer: '42',
      userNotFound: false,
    },
    response: { answerCorrect: unset() },
  }),
  UserMigration: (common, user) => ({
    ...common,
    // The name the user signed in with, unknown to the pool.
    userName: user.submitted.email,
    triggerSource: 'UserMigration_Authentication',
    request: { password: 'Sample-Passw0rd!', validationData: unset() },
    response: {
      userAttributes: unset(),
      finalUserStatus: unset(),
      messageAction: unset(),
      desiredDeliveryMediums: unset(),
      forceAliasCreation: unset(),
      enableSMSMFA: unset(),
    },
  }),
  CustomSMSSender: (common, user) =>
    customSender(common, 'CustomSMSSender_SignUp', 'customSMSSenderRequestV1', user),
  CustomEmailSender: (common, user) =>
    customSender(common, 'CustomEmailSender_SignUp', 'customEmailSenderRequestV1', user),
};

/**
 * A custom sender's event: the code to send is encrypted with the pool's KMS key (base64 of the
 * AWS Encryption SDK's message, which starts `AYADe`), and there is no `response` (the function only
 * sends). https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html
 */
function customSender<S extends 'CustomSMSSender_SignUp' | 'CustomEmailSender_SignUp'>(
  common: Common,
  triggerSource: S,
  type: string,
  user: User,
) {
  const ciphertext = Buffer.concat([
    Buffer.from('01800378', 'hex'),
    deriveBytes(`${common.userName}:${triggerSource}`, 250),
  ]);
  const event = {
    ...common,
    triggerSource,
    request: {
      type,
      code: ciphertext.toString('base64'),
      userAttributes: { ...user.attributes, 'cognito:user_status': 'UNCONFIRMED', email_verified: 'false' },
    },
  };
  return event as typeof event & { response: Record<string, never> };
}

/**
 * The event a Cognito user pool sends the function of a `cognitoUserPool` event for its trigger
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html):
 * version `1`, the pool's id (`<region>_<9 characters>`), a user (the user name is the `sub`, as
 * for pools that sign in with an email address), the app client, and the trigger's request and
 * response. `overrides`, an object, adds to or replaces the user's attributes.
 */
export function cognitoTriggerEvent<T extends CognitoTrigger>(
  trigger: T,
  spec: CognitoEvent,
  { service, newId, overrides }: SampleContext,
): CognitoTriggerEvents[T] {
  const sub = newId();
  const extra = isObject(overrides)
    ? Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, String(v)]))
    : {};
  const submitted = { email: 'jane.doe@example.com', ...extra };
  const user: User = {
    submitted,
    attributes: { sub, email_verified: 'true', 'cognito:user_status': 'CONFIRMED', ...submitted },
  };
  const common: Common = {
    version: '1',
    region: service.region,
    userPoolId: `${service.region}_${derive(`pool:${service.region}:${spec.pool}`, 9, ALPHABETS.mixed)}`,
    userName: sub,
    callerContext: {
      awsSdkVersion: 'aws-sdk-unknown-unknown',
      clientId: derive(`client:${service.region}:${spec.pool}`, 26, ALPHABETS.lower),
    },
  };
  return BUILDERS[trigger](common, user);
}

export function cognitoEvent(spec: CognitoEvent, context: SampleContext): unknown {
  return cognitoTriggerEvent(spec.trigger as CognitoTrigger, spec, context);
}
