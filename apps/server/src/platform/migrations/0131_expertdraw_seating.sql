-- Seating the evaluation committee when a lot's draw completes (ADR 0019 § seating). Why the last attempt failed
-- (e.g. the composition breaks the policy because a representative is still to be nominated), shown to the
-- requester and center staff, who retry; null once seated or before any attempt.
ALTER TABLE expert_draw_requests ADD COLUMN seat_error text;
