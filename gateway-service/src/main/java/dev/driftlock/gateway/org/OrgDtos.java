package dev.driftlock.gateway.org;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of the org endpoints. */
final class OrgDtos {

    private OrgDtos() {
    }

    /** Sign-up: creates the org with the caller as owner. */
    record CreateOrg(@NotBlank @Size(max = 120) String name, @NotEmpty @Size(max = 10) List<@NotBlank @Email String> billingEmails) {
    }

    /** Full new values (a PATCH with both fields). */
    record UpdateOrg(@NotBlank @Size(max = 120) String name, @NotEmpty @Size(max = 10) List<@NotBlank @Email String> billingEmails) {
    }

    record OrgView(String id, String name, List<String> billingEmails, String plan, long revision, String role) {
    }

    /** Adds a member or changes their role. */
    record PutMember(@NotBlank @Pattern(regexp = "owner|admin|member", message = "must be owner, admin or member") String role,
                     @Email String email) {
    }

    record MemberView(String userId, String email, String role, Instant addedAt) {
    }

    record AuditView(long seq, String actor, String action, String target, String detail, Instant at) {
    }
}
