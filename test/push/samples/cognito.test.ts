import { strict as assert } from 'node:assert';
import type {
  CreateAuthChallengeTriggerEvent,
  CustomEmailSenderTriggerEvent,
  CustomMessageTriggerEvent,
  CustomSMSSenderTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PostAuthenticationTriggerEvent,
  PostConfirmationTriggerEvent,
  PreAuthenticationTriggerEvent,
  PreSignUpTriggerEvent,
  PreTokenGenerationTriggerEvent,
  UserMigrationTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';
import { sourceInvocation } from '../../../src/classify/origin';
import { cognitoTriggerEvent, type CognitoTrigger } from '../../../src/push/samples/cognito';
import { COGNITO_TRIGGERS } from '../../../src/service/events/others';
import { service, sourceOf } from './helpers';

const poolOf = (trigger: CognitoTrigger) =>
  sourceOf('cognitoUserPool', service([{ cognitoUserPool: { pool: 'users', trigger } }]));

/** The trigger's event from cognitoTriggerEvent, checked against sampleEvent's. */
function eventOf<T extends CognitoTrigger>(trigger: T) {
  const { spec, context, sample } = poolOf(trigger);
  const event = cognitoTriggerEvent(trigger, spec, context());
  assert.deepEqual(sample(), event);
  return event;
}

describe('push/samples cognitoUserPool', () => {
  it('gives every trigger the fields all Cognito events share', () => {
    for (const trigger of COGNITO_TRIGGERS) {
      const event = eventOf(trigger);
      assert.equal(event.version, '1');
      assert.equal(event.region, 'us-east-1');
      assert.match(event.userPoolId, /^us-east-1_[A-Za-z0-9]{9}$/);
      assert.equal(typeof event.userName, 'string');
      assert.equal(event.callerContext.awsSdkVersion, 'aws-sdk-unknown-unknown');
      assert.match(event.callerContext.clientId, /^[a-z0-9]{26}$/);
    }
  });

  it('keeps the pool id and client id of a pool, and gives another pool others', () => {
    const a = eventOf('PreSignUp');
    assert.equal(eventOf('PostConfirmation').userPoolId, a.userPoolId);
    const other = sourceOf(
      'cognitoUserPool',
      service([{ cognitoUserPool: { pool: 'admins', trigger: 'PreSignUp' } }]),
    );
    const b = cognitoTriggerEvent('PreSignUp', other.spec, other.context());
    assert.notEqual(b.userPoolId, a.userPoolId);
    assert.notEqual(b.callerContext.clientId, a.callerContext.clientId);
  });

  it('sends PreSignUp_SignUp with the submitted attributes and the auto-confirm flags off', () => {
    const event: PreSignUpTriggerEvent = eventOf('PreSignUp');
    assert.equal(event.triggerSource, 'PreSignUp_SignUp');
    assert.deepEqual(event.request.userAttributes, { email: 'jane.doe@example.com' });
    assert.equal(event.request.validationData, null);
    assert.deepEqual(event.response, {
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it('sends PostConfirmation_ConfirmSignUp with a confirmed user', () => {
    const event: PostConfirmationTriggerEvent = eventOf('PostConfirmation');
    assert.equal(event.triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.equal(event.request.userAttributes.sub, event.userName);
    assert.equal(event.request.userAttributes['cognito:user_status'], 'CONFIRMED');
    assert.deepEqual(event.response, {});
  });

  it('sends PreAuthentication_Authentication and PostAuthentication_Authentication', () => {
    const pre: PreAuthenticationTriggerEvent = eventOf('PreAuthentication');
    assert.equal(pre.triggerSource, 'PreAuthentication_Authentication');
    assert.equal(pre.request.userNotFound, false);
    const post: PostAuthenticationTriggerEvent = eventOf('PostAuthentication');
    assert.equal(post.triggerSource, 'PostAuthentication_Authentication');
    assert.equal(post.request.newDeviceUsed, false);
    assert.deepEqual(post.response, {});
  });

  it('sends TokenGeneration_Authentication with the group configuration and no override yet', () => {
    const event: PreTokenGenerationTriggerEvent = eventOf('PreTokenGeneration');
    assert.equal(event.triggerSource, 'TokenGeneration_Authentication');
    assert.deepEqual(event.request.groupConfiguration, {
      groupsToOverride: [],
      iamRolesToOverride: [],
      preferredRole: null,
    });
    assert.deepEqual(event.response, { claimsOverrideDetails: null });
  });

  it('sends CustomMessage_SignUp with the code and link placeholders', () => {
    const event: CustomMessageTriggerEvent = eventOf('CustomMessage');
    assert.equal(event.triggerSource, 'CustomMessage_SignUp');
    assert.equal(event.request.codeParameter, '{####}');
    assert.equal(event.request.linkParameter, '{##Click Here##}');
    assert.deepEqual(event.response, { smsMessage: null, emailMessage: null, emailSubject: null });
  });

  it('sends the custom auth challenge triggers', () => {
    const define: DefineAuthChallengeTriggerEvent = eventOf('DefineAuthChallenge');
    assert.equal(define.triggerSource, 'DefineAuthChallenge_Authentication');
    assert.deepEqual(define.request.session, []);
    assert.deepEqual(define.response, { challengeName: null, issueTokens: null, failAuthentication: null });
    const create: CreateAuthChallengeTriggerEvent = eventOf('CreateAuthChallenge');
    assert.equal(create.triggerSource, 'CreateAuthChallenge_Authentication');
    assert.equal(create.request.challengeName, 'CUSTOM_CHALLENGE');
    const verify: VerifyAuthChallengeResponseTriggerEvent = eventOf('VerifyAuthChallengeResponse');
    assert.equal(verify.triggerSource, 'VerifyAuthChallengeResponse_Authentication');
    assert.equal(verify.request.challengeAnswer, verify.request.privateChallengeParameters.answer);
    assert.deepEqual(verify.response, { answerCorrect: null });
  });

  it('sends UserMigration_Authentication for a user the pool does not know', () => {
    const event: UserMigrationTriggerEvent = eventOf('UserMigration');
    assert.equal(event.triggerSource, 'UserMigration_Authentication');
    assert.equal(event.userName, 'jane.doe@example.com');
    assert.equal(typeof event.request.password, 'string');
    assert.equal(event.response.userAttributes, null);
  });

  it('sends the custom senders an encrypted code and no response', () => {
    const sms: CustomSMSSenderTriggerEvent = eventOf('CustomSMSSender');
    assert.equal(sms.triggerSource, 'CustomSMSSender_SignUp');
    assert.equal(sms.request.type, 'customSMSSenderRequestV1');
    assert.match(sms.request.code ?? '', /^AYADe[A-Za-z0-9+/]+=*$/);
    assert.equal('response' in sms, false);
    const email: CustomEmailSenderTriggerEvent = eventOf('CustomEmailSender');
    assert.equal(email.triggerSource, 'CustomEmailSender_SignUp');
    assert.equal(email.request.type, 'customEmailSenderRequestV1');
  });

  it('adds the overrides to the user attributes', () => {
    const { sample } = poolOf('PostConfirmation');
    const event = sample({ name: 'Jane', 'custom:tier': 3 }) as PostConfirmationTriggerEvent;
    assert.equal(event.request.userAttributes.name, 'Jane');
    assert.equal(event.request.userAttributes['custom:tier'], '3');
    assert.equal(event.request.userAttributes.email, 'jane.doe@example.com');
  });

  it('is invoked asynchronously for the custom senders only', () => {
    for (const trigger of COGNITO_TRIGGERS) {
      const expected =
        trigger === 'CustomSMSSender' || trigger === 'CustomEmailSender' ? 'Event' : 'RequestResponse';
      assert.equal(sourceInvocation(poolOf(trigger).spec).type, expected, trigger);
    }
  });
});
