import type { UserPreferenceEvent, WebhookEvent } from '../../../webhooks/events.js';
import {
  array,
  errorsOf,
  ItemError,
  isRecord,
  type Json,
  optionalString,
  record,
  records,
  string,
  unixTime,
} from '../../../webhooks/parse/json.js';
import { type ChangeScope, item, unknown, userOf } from '../../../webhooks/parse/scope.js';
import { echoEvent, historyEvents, historyMedia } from './coexistence.js';
import { graphMessage } from './message.js';
import { callEvent, callStatus, graphStatus } from './status.js';

function userPreference(preference: Json, scope: ChangeScope, path: string): UserPreferenceEvent {
  const user = userOf(
    optionalString(preference.wa_id),
    optionalString(preference.user_id),
    optionalString(preference.parent_user_id),
    scope.contacts,
  );
  const from = user.phone ?? user.userId;
  if (from === undefined) throw new ItemError(`${path} names no user (no wa_id or user_id)`);
  return {
    kind: 'user_preference',
    provider: scope.provider,
    from,
    user,
    category: string(preference.category, `${path}.category`),
    value: string(preference.value, `${path}.value`),
    detail: optionalString(preference.detail),
    timestamp: unixTime(preference.timestamp),
    business: scope.business,
    raw: preference,
  };
}

/** The events of one `changes[]` entry, by its `field`. */
export function changeEvents(
  field: string | undefined,
  value: Json,
  scope: ChangeScope,
  path: string,
): WebhookEvent[] {
  const { provider, business } = scope;
  switch (field ?? 'messages') {
    case 'messages': {
      const events: WebhookEvent[] = [];
      array(value.messages).forEach((message, m) => {
        const at = `${path}.messages[${m}]`;
        events.push(
          item(scope, field, message, () => graphMessage(record(message, at), scope, at)),
        );
      });
      array(value.statuses).forEach((status, s) => {
        const at = `${path}.statuses[${s}]`;
        events.push(item(scope, field, status, () => graphStatus(record(status, at), scope, at)));
      });
      const errors = errorsOf(value.errors);
      if (errors.length > 0) events.push({ kind: 'error', provider, errors, business, raw: value });
      return events;
    }
    case 'message_template_status_update': {
      // Meta's own quality-update example was long published under this field: a value with a
      // quality score and no event is a quality update, whatever the field says.
      if (value.event === undefined && value.new_quality_score !== undefined) {
        return changeEvents('message_template_quality_update', value, scope, path);
      }
      const info = isRecord(value.other_info) ? value.other_info : undefined;
      const rejection = isRecord(value.rejection_info) ? value.rejection_info : undefined;
      const disabled = isRecord(value.disable_info) ? value.disable_info : undefined;
      return [
        item(scope, field, value, () => ({
          kind: 'template_status',
          provider,
          templateId: string(value.message_template_id, `${path}.message_template_id`),
          name: optionalString(value.message_template_name),
          language: optionalString(value.message_template_language),
          event: string(value.event, `${path}.event`),
          reason: optionalString(value.reason),
          detail: info
            ? [info.title, info.description]
                .filter((part) => typeof part === 'string')
                .join(': ') || undefined
            : undefined,
          category: optionalString(value.message_template_category),
          rejection: rejection
            ? {
                reason: optionalString(rejection.reason),
                recommendation: optionalString(rejection.recommendation),
              }
            : undefined,
          disabledAt: disabled ? unixTime(disabled.disable_date) : undefined,
          business,
          raw: value,
        })),
      ];
    }
    case 'message_template_quality_update':
      return [
        item(scope, 'message_template_quality_update', value, () => ({
          kind: 'template_quality',
          provider,
          templateId: string(value.message_template_id, `${path}.message_template_id`),
          name: optionalString(value.message_template_name),
          language: optionalString(value.message_template_language),
          previousScore: optionalString(value.previous_quality_score),
          newScore: string(value.new_quality_score, `${path}.new_quality_score`),
          business,
          raw: value,
        })),
      ];
    case 'template_category_update':
      return [
        item(scope, field, value, () => ({
          kind: 'template_category',
          provider,
          templateId: string(value.message_template_id, `${path}.message_template_id`),
          name: optionalString(value.message_template_name),
          language: optionalString(value.message_template_language),
          previousCategory: optionalString(value.previous_category),
          newCategory: string(value.new_category, `${path}.new_category`),
          correctCategory: optionalString(value.correct_category),
          scheduledAt: unixTime(value.category_update_timestamp),
          business,
          raw: value,
        })),
      ];
    case 'account_update': {
      const violation = isRecord(value.violation_info) ? value.violation_info : undefined;
      const [restriction] = records(value.restriction_info);
      const ban = isRecord(value.ban_info) ? value.ban_info : undefined;
      return [
        item(scope, field, value, () => ({
          kind: 'account_update',
          provider,
          event: string(value.event, `${path}.event`),
          phoneNumber: optionalString(value.phone_number),
          detail:
            optionalString(violation?.violation_type) ??
            optionalString(restriction?.restriction_type) ??
            optionalString(ban?.waba_ban_state),
          country: optionalString(value.country),
          business,
          raw: value,
        })),
      ];
    }
    case 'phone_number_quality_update':
      return [
        item(scope, field, value, () => ({
          kind: 'phone_number_quality',
          provider,
          displayPhoneNumber: optionalString(value.display_phone_number),
          event: string(value.event, `${path}.event`),
          currentLimit:
            optionalString(value.current_limit) ??
            optionalString(value.max_daily_conversations_per_business),
          previousLimit: optionalString(value.old_limit),
          maxDailyConversations: optionalString(value.max_daily_conversations_per_business),
          business,
          raw: value,
        })),
      ];
    case 'phone_number_name_update':
      return [
        item(scope, field, value, () => ({
          kind: 'phone_number_name',
          provider,
          displayPhoneNumber: optionalString(value.display_phone_number),
          decision: string(value.decision, `${path}.decision`),
          requestedName: optionalString(value.requested_verified_name),
          rejectionReason: optionalString(value.rejection_reason),
          business,
          raw: value,
        })),
      ];
    case 'user_preferences':
      return array(value.user_preferences).map((preference, p) => {
        const at = `${path}.user_preferences[${p}]`;
        return item(scope, field, preference, () =>
          userPreference(record(preference, at), scope, at),
        );
      });
    case 'smb_message_echoes':
      return array(value.message_echoes).map((echo, e) => {
        const at = `${path}.message_echoes[${e}]`;
        return item(scope, field, echo, () => echoEvent(record(echo, at), scope, at));
      });
    case 'history': {
      const events = array(value.history).flatMap((history, h) => {
        const at = `${path}.history[${h}]`;
        return isRecord(history)
          ? historyEvents(history, scope, at)
          : [unknown(scope, field, `${at} must be an object`, history)];
      });
      for (const event of historyMedia(value, scope, path)) events.push(event);
      return events;
    }
    case 'calls': {
      const events = array(value.calls).map((call, c) => {
        const at = `${path}.calls[${c}]`;
        return item(scope, field, call, () => callEvent(record(call, at), scope, at));
      });
      array(value.statuses).forEach((status, s) => {
        const at = `${path}.statuses[${s}]`;
        events.push(item(scope, field, status, () => callStatus(record(status, at), scope, at)));
      });
      const errors = errorsOf(value.errors);
      if (errors.length > 0) events.push({ kind: 'error', provider, errors, business, raw: value });
      return events;
    }
    default:
      return [unknown(scope, field, `the "${field}" field is not one Kabar types`, value)];
  }
}
