package dev.driftlock.metering.account;

/**
 * Everything metering knows about an org besides its counters, read under the org's lock.
 *
 * @param orgId        the org
 * @param subscription billing's subscription, or null (free plan)
 * @param dunningState {@code ok}, {@code grace} or {@code suspended}
 * @param ownPolicy    the policy the org set, or null (plan default)
 * @param published    the quota state last published, or null (never published: ok)
 */
public record Account(String orgId, Subscription subscription, String dunningState, QuotaPolicy ownPolicy, PublishedQuota published) {
}
