/**
 * GraphQL documents Mobilizon 5.1.3's own front end sends (framasoft/mobilizon
 * src/graphql/event.ts @ c64a0ea7), copied verbatim from shared/fixtures/mobilizon-graphql so the
 * server sees exactly the queries it is built and tested for. A test checks they match.
 */

export const FETCH_EVENTS = `query FetchEvents(
  $location: String
  $radius: Float
  $orderBy: EventOrderBy
  $direction: SortDirection
  $page: Int
  $limit: Int
  $longEvents: Boolean
) {
  events(
    location: $location
    radius: $radius
    orderBy: $orderBy
    direction: $direction
    page: $page
    limit: $limit
    longEvents: $longEvents
  ) {
    total
    elements {
      id
      uuid
      url
      local
      title
      description
      beginsOn
      endsOn
      status
      visibility
      insertedAt
      language
      picture {
        id
        url
      }
      publishAt
      physicalAddress {
        ...AdressFragment
      }
      organizerActor {
        ...ActorFragment
      }
      attributedTo {
        ...ActorFragment
      }
      category
      tags {
        ...TagFragment
      }
      options {
        ...EventOptions
      }
    }
  }
}

fragment AdressFragment on Address {
  id
  description
  geom
  street
  locality
  postalCode
  region
  country
  type
  url
  originId
  timezone
  pictureInfo {
    url
    author {
      name
      url
    }
    source {
      name
      url
    }
  }
}

fragment TagFragment on Tag {
  id
  slug
  title
}

fragment EventOptions on EventOptions {
  maximumAttendeeCapacity
  remainingAttendeeCapacity
  showRemainingAttendeeCapacity
  anonymousParticipation
  hideNumberOfParticipants
  showStartTime
  showEndTime
  timezone
  offers {
    price
    priceCurrency
    url
  }
  participationConditions {
    title
    content
    url
  }
  attendees
  program
  commentModeration
  showParticipationPrice
  hideOrganizerWhenGroupEvent
  isOnline
}

fragment ActorFragment on Actor {
  id
  avatar {
    id
    url
  }
  type
  preferredUsername
  name
  domain
  summary
  url
}
`;

export const FETCH_GROUP_EVENTS = `query FetchGroupEvents(
  $name: String!
  $afterDateTime: DateTime
  $beforeDateTime: DateTime
  $order: EventOrderBy
  $orderDirection: SortDirection
  $organisedEventsPage: Int
  $organisedEventsLimit: Int
) {
  group(preferredUsername: $name) {
    organizedEvents(
      afterDatetime: $afterDateTime
      beforeDatetime: $beforeDateTime
      order: $order
      orderDirection: $orderDirection
      page: $organisedEventsPage
      limit: $organisedEventsLimit
    ) {
      elements {
        id
        uuid
        title
        beginsOn
        status
        draft
        options {
          ...EventOptions
        }
        participantStats {
          participant
          notApproved
        }
        attributedTo {
          ...ActorFragment
        }
        organizerActor {
          ...ActorFragment
        }
        physicalAddress {
          ...AdressFragment
        }
        picture {
          url
          id
        }
      }
      total
    }
    ...ActorFragment
  }
}

fragment EventOptions on EventOptions {
  maximumAttendeeCapacity
  remainingAttendeeCapacity
  showRemainingAttendeeCapacity
  anonymousParticipation
  hideNumberOfParticipants
  showStartTime
  showEndTime
  timezone
  offers {
    price
    priceCurrency
    url
  }
  participationConditions {
    title
    content
    url
  }
  attendees
  program
  commentModeration
  showParticipationPrice
  hideOrganizerWhenGroupEvent
  isOnline
}

fragment ActorFragment on Actor {
  id
  avatar {
    id
    url
  }
  type
  preferredUsername
  name
  domain
  summary
  url
}

fragment AdressFragment on Address {
  id
  description
  geom
  street
  locality
  postalCode
  region
  country
  type
  url
  originId
  timezone
  pictureInfo {
    url
    author {
      name
      url
    }
    source {
      name
      url
    }
  }
}
`;

export const FETCH_EVENT = `query FetchEvent($uuid: UUID!) {
  event(uuid: $uuid) {
    ...FullEvent
  }
}

fragment FullEvent on Event {
  id
  uuid
  url
  local
  title
  description
  beginsOn
  endsOn
  status
  visibility
  joinOptions
  externalParticipationUrl
  draft
  language
  category
  picture {
    id
    url
    name
    metadata {
      width
      height
      blurhash
    }
  }
  publishAt
  onlineAddress
  phoneAddress
  physicalAddress {
    ...AdressFragment
  }
  organizerActor {
    ...ActorFragment
  }
  contacts {
    ...ActorFragment
  }
  attributedTo {
    ...ActorFragment
  }
  participantStats {
    going
    notApproved
    participant
  }
  tags {
    ...TagFragment
  }
  options {
    ...EventOptions
  }
  metadata {
    key
    title
    value
    type
  }
}

fragment AdressFragment on Address {
  id
  description
  geom
  street
  locality
  postalCode
  region
  country
  type
  url
  originId
  timezone
  pictureInfo {
    url
    author {
      name
      url
    }
    source {
      name
      url
    }
  }
}

fragment TagFragment on Tag {
  id
  slug
  title
}

fragment EventOptions on EventOptions {
  maximumAttendeeCapacity
  remainingAttendeeCapacity
  showRemainingAttendeeCapacity
  anonymousParticipation
  hideNumberOfParticipants
  showStartTime
  showEndTime
  timezone
  offers {
    price
    priceCurrency
    url
  }
  participationConditions {
    title
    content
    url
  }
  attendees
  program
  commentModeration
  showParticipationPrice
  hideOrganizerWhenGroupEvent
  isOnline
}

fragment ActorFragment on Actor {
  id
  avatar {
    id
    url
  }
  type
  preferredUsername
  name
  domain
  summary
  url
}
`;
