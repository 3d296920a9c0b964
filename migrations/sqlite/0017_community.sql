-- The moderated community (issue 16): channels set by admins, posts and comments
-- under a pseudonym, reactions, reports, moderation, block and mute.
--
-- The `community_posts` table of 0001 (no channel, no comments, no moderation
-- state) was written by no route or operator command, only by test fixtures, so it
-- is replaced, not converted.
--
-- Sealed with the field cipher (listed in `EncryptedColumn`, so key rotation
-- re-seals them; the associated data binds table, column and row id):
--   community_posts.body      what a member wrote (a post, or a comment on one)
--   community_reports.note    what a reporter added to their reason
--
-- In clear, and why:
--   community_channels.name, name_key, description
--                             topics an admin sets for everyone to read; name_key
--                             (the name case-folded) keeps names unique
--   community_members.pseudonym, pseudonym_key
--                             the name a member chose to be shown by, to every
--                             member, so it is public inside the service by design;
--                             pseudonym_key (case-folded) keeps it unique
--   community_members.id      the opaque handle others see instead of the account id
--   community_posts.status, risk_level, moderation_reason
--                             who may see an item (published, held for review,
--                             hidden or removed by a moderator) and why, from fixed
--                             lists; the screening level, never the words
--   community_posts.channel_id, parent_id, author_id, posted_at
--                             the channel page, a post's comments, the author's own
--                             view, the per-author posting limit
--   community_reactions, community_relations, community_reports.reason
--                             counts, block and mute, the moderation queue
DROP TABLE community_posts;

CREATE TABLE community_channels (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL CONSTRAINT community_channels_name_unique UNIQUE,
    description  TEXT NOT NULL,
    created_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL,
    archived_at  BIGINT
);

CREATE TABLE community_members (
    person_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    id             TEXT NOT NULL CONSTRAINT community_members_id_unique UNIQUE,
    pseudonym      TEXT NOT NULL,
    pseudonym_key  TEXT NOT NULL CONSTRAINT community_members_pseudonym_unique UNIQUE,
    joined_at      BIGINT NOT NULL,
    renamed_at     BIGINT NOT NULL
);

CREATE TABLE community_posts (
    id                 TEXT PRIMARY KEY,
    channel_id         TEXT NOT NULL REFERENCES community_channels (id) ON DELETE CASCADE,
    parent_id          TEXT REFERENCES community_posts (id) ON DELETE CASCADE,
    author_id          TEXT NOT NULL REFERENCES community_members (person_id) ON DELETE CASCADE,
    body               BLOB NOT NULL,
    posted_at          BIGINT NOT NULL,
    status             TEXT NOT NULL
        CONSTRAINT community_posts_status CHECK (status IN ('published', 'held', 'hidden', 'removed')),
    risk_level         TEXT,
    moderator_id       TEXT REFERENCES users (id) ON DELETE SET NULL,
    moderation_at      BIGINT,
    moderation_reason  TEXT
);
CREATE INDEX community_posts_by_channel ON community_posts (channel_id, parent_id, posted_at);
CREATE INDEX community_posts_by_parent ON community_posts (parent_id, posted_at);
CREATE INDEX community_posts_by_author ON community_posts (author_id, posted_at);
CREATE INDEX community_posts_by_status ON community_posts (status, posted_at);

CREATE TABLE community_reactions (
    post_id    TEXT NOT NULL REFERENCES community_posts (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL
        CONSTRAINT community_reactions_kind CHECK (kind IN ('heart', 'hug', 'thanks')),
    at         BIGINT NOT NULL,
    PRIMARY KEY (post_id, person_id, kind)
);

CREATE TABLE community_relations (
    person_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    other_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL
        CONSTRAINT community_relations_kind CHECK (kind IN ('blocked', 'muted')),
    at         BIGINT NOT NULL,
    PRIMARY KEY (person_id, other_id),
    CONSTRAINT community_relations_not_self CHECK (person_id <> other_id)
);

CREATE TABLE community_reports (
    id           TEXT PRIMARY KEY,
    post_id      TEXT NOT NULL REFERENCES community_posts (id) ON DELETE CASCADE,
    reporter_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    note         BLOB,
    at           BIGINT NOT NULL,
    settled_at   BIGINT,
    CONSTRAINT community_reports_once UNIQUE (post_id, reporter_id)
);
CREATE INDEX community_reports_open ON community_reports (settled_at, post_id);
