# English texts.

## Bot
start-welcome = Hello, { $name }! I am Puente, the assistant of { $city }'s Best Practices Program.
    Use /propose to register a knowledge exchange (Learns) your entity wants to make.
    Use /practice to put forward one of your entity's good practices to be systematized and shared (Shares).
    Use /language to change the language. Use /cancel to stop what you are doing.
help-text = Commands:
    /propose — propose a knowledge exchange (Learns)
    /practice — put forward a good practice of your entity (Shares)
    /mine — see your exchanges and practices, with their phase and due date
    /view AP-2026-0007 — see an item's card by its code
    /edit AP-2026-0007 — change a field of an item
    /deliver AP-2026-0007 — deliver what the current phase asks for
    /me — see your details in the program
    /mydata — see everything Puente keeps about you; /forgetme — ask Puente to erase it
help-text-practices = Shares practices: /milestones, /participants, /promotion, /companions followed by the code; /requests — open collaboration requests
help-text-evaluators = Evaluators: /view EN-2026-0001 to read a practice you evaluate; /score EN-2026-0001 followed by your comment
help-text-coordinators = Coordinators and administrators:
    /advance, /return, /hold, /resume, /withdraw, /due followed by the code — change an item's course
    /evaluators, /decide, /movemilestone, /request followed by the code — evaluate a practice, move a milestone, register a collaboration request
    /matches followed by the code — practices and experts suggested for an exchange; /catalogue — add to and correct the catalogue
    /invite — invite a person; /people — see, change and remove people; /remove — remove someone
    /report — the program's report as of today (PDF; /report 2016-2019 for another period); /panel — a link to the coordination dashboard
help-text-end = /language — change the language (español / English)
    /cancel — cancel the current conversation
language-chosen = Done: I will speak English with you.
language-choose = Which language would you like me to use?
propose-ask-title = Type a short title for the exchange ({ $limit } characters at most).
practice-ask-title = Type a short title for the practice ({ $limit } characters at most).
propose-title-too-long = The title has { $length } characters and the limit is { $limit }. Please shorten it.
propose-ask-need = Describe the institutional challenge you want to solve by learning from other cities ({ $limit } characters at most).
propose-ask-summary = Describe the practice: what it does, what results it has and why it is worth sharing ({ $limit } characters at most).
propose-description-too-long = The description has { $length } characters and the limit is { $limit }. Please shorten it.
propose-empty = Your message has no visible text. Please type the answer with letters or numbers.
propose-sent = I received your exchange proposal "{ $title }". I will tell you when it is registered.
practice-sent = I received the practice you put forward, "{ $title }". I will tell you when it is registered.
propose-failed = I could not send your exchange proposal right now. Send the description again in a few minutes; the rest is kept. Use /cancel to drop it.
practice-failed = I could not send the practice you put forward right now. Send the description again in a few minutes; the rest is kept. Use /cancel to drop it.
cancelled = { $form ->
        [practice] Cancelled: I dropped the practice you were putting forward. Nothing was saved.
       *[exchange] Cancelled: I dropped the exchange proposal you were filling in. Nothing was saved.
    }
nothing-to-cancel = There was nothing in progress to cancel.
form-dropped = { $form ->
        [practice] I dropped the practice you were putting forward; it was not saved.
       *[exchange] I dropped the exchange proposal you were filling in; it was not saved.
    }
form-waiting = I did not understand that. I am still waiting for your answer to the last question; use /cancel to leave the form.
slow-down = You are sending messages very fast. Please wait a few seconds and write again; I will not read the messages that arrive in the meantime.
unexpected-error = Sorry, something went wrong on my side and it has been logged. If it happens again, share this reference with whoever runs Puente: { $reference }
unknown-command = I did not understand. Type /help to see what I can do.

## Notifications
proposal-registered = ✅ Your proposal { $ref }"{ $title }" is registered. It is in phase 1: { $phase }.
coordinator-new-proposal = 🆕 New proposal from { $entity } in { $line }: { $ref }"{ $title }". Phase 1: { $phase }, due { $due }.
phase-overdue = ⏰ { $ref }“{ $title }” ({ $entity }) is behind: the { $phase } phase was due on { $due } ({ $days ->
    [one] 1 day
   *[other] { $days } days
  } late).
command-rejected = ⚠️ I could not register your request: { $reason }
reason-not_your_entity = you may act only on your own entity's items.
reason-unknown_sector = the sector does not exist in the program's configuration.
reason-unknown_entity = the entity does not exist in the program's configuration.
reason-unknown_item = I could not find that exchange or practice.
reason-nothing_to_change = there was nothing to change.
reason-wrong_city = the request belongs to another city.
reason-not_a_member = you are not in the program's directory. Ask the coordinators for an invitation.
reason-not_allowed = your role does not allow that.
reason-wrong_code = that invitation code does not exist. Check that it is complete (12 characters).
reason-used_code = that invitation code has already been used. Ask whoever invited you for a new one.
reason-expired_code = that invitation code has expired. Ask whoever invited you for a new one.
reason-locked_out = too many wrong codes came from your account. Wait an hour and try again.
reason-already_member = you are already in the program. Send /me to see your details.
person-joined = 👋 Welcome, { $name }! You are now in the Best Practices Program as { $role }.
    Send /help to see what you can do.
person-joined-for-entity = 👋 Welcome, { $name }! You are now in the Best Practices Program as { $role } of { $entity }.
    Send /help to see what you can do.
person-removed = You are no longer part of the Best Practices Program in Puente. Your exchanges and practices stay with your entity. If you think this is a mistake, talk to the program's coordinators.
person-changed = Your role in the Best Practices Program changed: you are now { $role }.
person-changed-for-entity = Your role in the Best Practices Program changed: you are now { $role } of { $entity }.
people-choose-role = Which role will { $name } have?
people-choose-new-entity = Which entity will { $name } belong to?
people-change-sent = I asked to change { $name } to { $role }; they will be told in their language.
role-staff = entity staff
role-coordinator = coordinator
role-evaluator = evaluator
role-administrator = administrator

## The bot's command menu
mine-empty = You have no exchanges or practices registered yet. Start one with /propose or /practice.
mine-header = Exchanges and practices of { $whose } ({ $count }), page { $page } of { $pages }:
mine-item = { $ref }“{ $title }” · { $line }
    Phase { $number } of { $phases }: { $phase } · due on { $due }{ $late ->
        [yes] {" "}⏰ late
       *[no] {""}
    }
page-previous = ‹ Previous
page-next = Next ›
menu-mine = See my exchanges and practices
invitation-checking = I am checking your invitation code…
invitation-code-invalid = That does not look like an invitation code: it has 12 letters and digits. Check it and try again with /start followed by the code.
me-unknown = You are not in the program's directory yet. Ask the program's coordinators for an invitation and open the link they send you.
me-card = { $name }
    Role: { $role }
    Entity: { $entity }
    Language: { $speaks }{ $expertise }
language-name-es = Spanish
language-name-en = English
invite-not-allowed = Only the program's coordinators and administrators can invite people.
invite-choose-role = With which role does the person you invite join?
invite-choose-entity = Which entity are they from?
invite-ask-name = Type the person's name as the program should show it ({ $limit } characters at most).
invite-created = Invitation created for { $name } ({ $role }). Share this link with them; it works once, for { $hours } hours:
    { $link }
    They can also send /start { $code } to the bot.
invite-cancelled = Cancelled: no invitation was created.
invite-button-refused = That button no longer works. Start again with /invite.
directory-send-failed = I could not send your request right now. Try again in a few minutes.
menu-me = See my details in the program
menu-invite = Invite a person
not-a-member = Hello. I am Puente, the Best Practices Program's assistant, and I only serve people invited to the program. Ask the program's coordinators for an invitation and open the link they send you (or send me /start followed by the code).
propose-choose-entity = Which entity is it for? Choose it with the buttons.
people-choose-entity = Which entity's people do you want to see?
people-program = Coordinators and administrators
people-header = { $entity }: { $count ->
        [one] 1 person
       *[other] { $count } people
    }
people-none = Nobody from { $entity } is in the program yet.
people-confirm-removal = Remove { $name } ({ $role }) from the program? They will be able to do nothing more; their exchanges and practices stay with their entity.
people-yes-remove = Yes, remove
people-no = No
people-removal-sent = I asked to remove { $name } from the program; they will be told in their language.
people-kept = I removed nobody.
people-button-refused = That button no longer works. Start again with /people.
menu-people = See, change and remove people of the program
menu-start = Start
menu-propose = Propose a knowledge exchange (Learns)
menu-practice = Put forward a good practice (Shares)
menu-language = Change the language
menu-help = Show help
menu-cancel = Cancel the current conversation
menu-my-data = See everything Puente keeps about me
menu-forget-me = Ask Puente to erase my data
my-data-none = Puente keeps no personal data about this Telegram account.
my-data = What Puente keeps about you (Colombia's Law 1581 of 2012, habeas data)
    Name: { $name }
    Telegram account: { $account }
    Role: { $role }
    Entity: { $entity }{ $expertise }
    Language in the program: { $speaks }; language of this chat: { $chosen }
    In the program since: { $joined } ({ $status ->
        [active] active
       *[removed] removed from the program
    })
    Exchanges and practices you proposed: { $count }
    { $titles }{ $more ->
        [0] {""}
       *[other] {" "}(and { $more } more: /mine)
    }
    Also: the invitation you joined with (who invited you and when), the messages Puente sent you (text and delivery date) and, in this chat, any form you left half filled in.
    Your proposals stay with your entity. To erase your personal data: /forgetme
forget-me-confirm = Erase your personal data from Puente? Your name, your Telegram account, your language, anything you left half written here and the messages Puente sent you are erased. Your exchanges and practices stay with your entity. Afterwards you cannot use Puente without a new invitation.
forget-me-yes = Yes, erase my data
forget-me-no = No, keep it
forget-me-kept = All right, nothing is erased.
forget-me-sent = Done: Puente is erasing your personal data from all its services. This is the last message you will get; if you ever want to come back, ask for a new invitation.
menu-remove = Remove a person from the program
people-choose-entity-to-remove = Which entity does the person you want to remove belong to?
people-page = page { $page } of { $pages }
me-expertise = Sectors: { $sectors } · Topics: { $topics }
invite-choose-sectors = Which sectors do they evaluate? Tap each sector to mark or unmark it, then "Done".
invite-sectors-done = Done
invite-ask-topics = Type the topics they know about, separated by commas (up to { $most }, 2 to 60 characters each), or - for none.
reason-not_current_phase = that phase is not the item's current one (it was already completed or has not begun). Check with /view.
reason-first_phase = the item is in its first phase: there is no earlier phase.
reason-on_hold = the item is on hold. Resume it first with /resume.
reason-not_on_hold = the item is not on hold.
reason-item_ended = the item has already ended (closed or withdrawn).
phase-advanced = ➡️ { $ref }“{ $title }” completed phase { $done } and moved to phase { $number } of { $phases }: { $phase }, due on { $due }.
phase-returned = ↩️ { $ref }“{ $title }” went back to phase { $number } of { $phases }: { $phase }, due on { $due }. Note: { $note }
item-on-hold = ⏸ { $ref }“{ $title }” is on hold in phase { $number }: { $phase }. Reason: { $reason }
item-resumed = ▶️ { $ref }“{ $title }” resumed in phase { $number }: { $phase }, due on { $due }.
item-withdrawn = ✖️ { $ref }“{ $title }” was withdrawn from the program. Reason: { $reason }
item-closed = 🏁 { $ref }“{ $title }” completed its { $phases } phases and is closed.
menu-view = See an item's card by its code
menu-advance = Complete an item's current phase (coordinators)
menu-return = Send an item back to the previous phase (coordinators)
menu-hold = Put an item on hold (coordinators)
menu-resume = Resume an item on hold (coordinators)
menu-withdraw = Withdraw an item from the program (coordinators)
course-usage = Type { $command } followed by the item's code, for example: { $command } { $example }
course-example-note = The need sheet is missing
course-example-reason = The entity changed its team
item-not-found = I could not find item { $code }. Check the code with /mine.
course-not-allowed = Only the program's coordinators and administrators can change an item's course.
course-not-active = This item is not active (it is on hold or has ended): there is no phase to complete.
course-confirm-advance = Complete phase { $number } of { $phases } ({ $phase }) of { $ref } “{ $title }”?
    The phase's deliverable: { $deliverable }
course-yes-advance = Yes, complete phase { $number }
course-advance-sent = I asked to complete phase { $number }. You and the entity will be told when it is registered.
course-confirm-withdrawal = Withdraw { $ref } “{ $title }” from the program? It ends here and cannot be resumed.
    Reason: { $reason }
course-yes-withdraw = Yes, withdraw it
course-kept = All right, I changed nothing.
course-sent = Done, I asked for it. You and the entity will be told when it is registered.
course-note-missing = Type the note after the code, in the same message: why it goes back to the previous phase.
course-reason-missing = Type the reason after the code, in the same message.
course-text-too-long = The text has { $length } characters and the limit is { $limit }. Please shorten it.
course-button-refused = That button no longer works. Start again with the command.
card-title = { $ref }“{ $title }”
card-line = { $line } · { $entity }
card-progress = { $bar } · { $phase } · { $status ->
        [on_hold] ⏸ on hold
        [closed] 🏁 closed
        [withdrawn] ✖️ withdrawn
        [not_selected] ✖️ not selected
       *[active] due on { $due }{ $late ->
            [yes] {" "}⏰ late
           *[no] {""}
        }
    }
card-deliverable = The phase's deliverable: { $deliverable }
card-changes = Latest changes:
card-change = • { $on }: { $kind ->
        [phase-started] moved to phase { $number }
        [phase-returned] went back to phase { $number }
        [item-on_hold] on hold
        [item-resumed] resumed
        [phase-due_date_moved] new due date for phase { $number }
        [item-withdrawn] withdrawn
       *[item-closed] closed
    }{ $text }
deliverable-kept = 📎 { $ref }“{ $title }”: “{ $deliverable }” is recorded (phase { $number }). Still missing: { $missing }.
deliverable-kept-all-in = 📎 { $ref }“{ $title }”: “{ $deliverable }” is recorded (phase { $number }). All the phase's required deliverables are in; the coordinators can complete it.
deliverables-complete = 📦 { $ref }“{ $title }” has all the required deliverables of phase { $number } ({ $phase }). To complete it: /advance { $code }
menu-deliver = Deliver what an item's current phase asks for
deliver-nothing = Phase { $phase } asks for no deliverables in Puente.
deliver-choose = { $ref } “{ $title }”, phase { $number }: { $phase }. What do you want to deliver? (✓ already delivered; * optional)
deliver-phase-moved = The item is no longer in that phase. Start again with /deliver.
deliver-ask-text = Type “{ $name }”.
deliver-ask-number = Type “{ $name }” as a number.
deliver-ask-date = Type “{ $name }” as YYYY-MM-DD, for example 2027-03-15.
deliver-ask-link = Send the link for “{ $name }” (starting with https://).
deliver-ask-document = Send the file for “{ $name }”: pdf, docx, xlsx, pptx, odt, ods, png or jpg, up to 20 MB.
deliver-ask-choice = Choose “{ $name }”:
deliver-sent = I received “{ $name }”. I will tell you when it is recorded.
deliver-cancelled = Cancelled: I delivered nothing.
deliver-dropped = I stopped waiting for the deliverable. Send the command you typed again.
deliver-refused-invalid-text = That text is empty. Type it with letters or numbers.
deliver-refused-invalid-number = That is not a number. Type only the number, for example 12.
deliver-refused-invalid-out-of-range = That number is outside the range the program asks for.
deliver-refused-invalid-date = I could not read that date. Type it as YYYY-MM-DD, for example 2027-03-15.
deliver-refused-invalid-past-date = That date has passed; it must be today or later.
deliver-refused-invalid-choice = Choose one of the options with the buttons.
deliver-refused-invalid-link = That is not a link. Send an address starting with https://.
deliver-refused-invalid-too-long = The text is too long (1000 characters at most).
deliver-refused-invalid-document = A file goes here: send it as a document.
deliver-refused-document-empty = The file is empty.
deliver-refused-document-too-big = The file is over 20 MB, Telegram's limit for bots.
deliver-refused-document-not-accepted = I only accept pdf, docx, xlsx, pptx, odt, ods, png or jpg.
deliver-refused-document-content-mismatch = The file's content does not match its extension; I did not keep it.
deliver-refused-document-unreadable = I could not read the file. Try again in a few minutes.
reason-unknown_deliverable = the current phase asks for no such deliverable.
reason-invalid_value = the value does not fit what the deliverable asks for.
reason-deliverables_missing = a required deliverable of the phase is not in yet. See what is missing with /view.
due-date-moved = 📅 { $ref }“{ $title }”: phase { $number } ({ $phase }) is now due on { $due } (it was { $previous }). Reason: { $reason }
reason-past_date = that date has passed; the new date must be today or later.
menu-due = Move the current phase's due date (coordinators)
mine-empty-filtered = No exchange or practice matches the filter. Change it with the buttons.
mine-choose-entity = Which entity?
mine-all-entities = every entity
mine-filter-entity = Entity
menu-edit = Change a field of an item by its code
edit-choose = What do you want to change in { $ref } “{ $title }”?
edit-field-title = Title
edit-field-need = Institutional challenge
edit-field-summary = Description of the practice
edit-field-topic = Topic
edit-ask = Type the new text for “{ $field }” ({ $limit } characters at most).
edit-sent = I received the change. I will tell you when it is recorded; the earlier value stays in the history.
edit-cancelled = Cancelled: I changed nothing.
edit-dropped = I stopped waiting for the change. Send the command you typed again.
item-updated = ✏️ { $ref }“{ $title }”: the change is recorded ({ $fields }).
reminders-header = ⏰ Reminder: { $count ->
        [one] you have 1 item to attend to:
       *[other] you have { $count } items to attend to:
    }
reminder-soon = • { $ref }“{ $title }”, phase { $number }: due on { $due } ({ $days ->
        [0] today
        [one] tomorrow
       *[other] in { $days } days
    })
reminder-late = • { $ref }“{ $title }”, phase { $number }: was due on { $due } ({ $days ->
        [one] 1 day late
       *[other] { $days } days late
    })
reminders-more = …and { $more } more: /mine
reminders-escalated = 🚨 { $ref }“{ $title }” ({ $entity }) has had { $count } reminders with no progress: phase { $number } was due on { $due }. /view { $code }

## Bogotá Shares: evaluation, systematization, promotion and collaboration requests (the notifier)
reason-unknown_practice = I could not find that practice (exchanges have no evaluation or collaboration requests).
reason-wrong_phase = the item is not in the phase where that happens. Check with /view.
reason-not_an_evaluator = someone you chose is not an active evaluator of the program.
reason-own_entity = nobody evaluates their own entity's practice.
reason-evaluators_count = the evaluation team does not have the number of evaluators the program asks for.
reason-not_assigned = you are not on this practice's evaluation team.
reason-already_scored = you have already scored this practice.
reason-out_of_scale = each criterion needs a score within the program's scale.
reason-scorecards_missing = not every evaluator has scored yet.
reason-already_decided = the practice has already been decided.
reason-decision_missing = the evaluation phase ends only once the practice is selected (/decide).
reason-not_selected = that is for selected practices only.
reason-unknown_milestone = the practice's schedule has no such milestone.
reason-milestone_out_of_order = a milestone must fall after the previous one and before the next.
reason-earlier_milestone_pending = an earlier milestone is not done yet.
reason-milestone_done = that milestone was already reported done.
reason-not_a_companion = that person is not a companion of this practice (companions are people of its entity).
reason-over_capacity = that companion already accompanies as many open collaboration requests as the program allows.
reason-unknown_request = I could not find that collaboration request.
reason-request_closed = that request is already closed.
reason-already_registered = that collaboration request is already registered.
reason-not_held_yet = a promotion is recorded once it has taken place; plan it instead.
evaluation-assigned-evaluator = 🧑‍⚖️ You are on the evaluation team of { $ref }“{ $title }” ({ $entity }). Read it with /view { $code }, and score it by { $due }: send /score { $code } followed by your comment.
evaluation-assigned-entity = 🧑‍⚖️ { $ref }“{ $title }” ({ $entity }) has its evaluation team: { $count } evaluators, who score by { $due }.
evaluation-assigned-confirmed = Done: { $count } evaluators are assigned to { $ref }“{ $title }” ({ $entity }).
scorecard-kept = ✅ Your scorecard for { $ref }“{ $title }” ({ $entity }) is kept. { $waiting ->
    [0] Every evaluator has scored.
    [one] 1 evaluator has yet to score.
   *[other] { $waiting } evaluators have yet to score.
  }
scorecards-complete = 🗳 Every scorecard for { $ref }“{ $title }” ({ $entity }) is in. Decide with /decide { $code }
practice-decided-selected = 🏅 { $ref }“{ $title }” ({ $entity }) was selected as a good practice. Average scores (scale { $scale }):
    { $scores }
    Overall: { $overall }. Note: { $note }
practice-decided-not_selected = { $ref }“{ $title }” ({ $entity }) was not selected this time. Average scores (scale { $scale }):
    { $scores }
    Overall: { $overall }. Note: { $note }
practice-decided-more_information = ℹ️ The evaluation of { $ref }“{ $title }” ({ $entity }) needs more information. Average scores so far (scale { $scale }):
    { $scores }
    Overall: { $overall }. Note: { $note }
systematization-scheduled = 🗓 The systematization of { $ref }“{ $title }” ({ $entity }) has its schedule:
    { $milestones }
    Report each milestone with /milestones { $code }
milestone-moved = 🗓 { $ref }“{ $title }” ({ $entity }): the milestone “{ $milestone }” moved from { $previous } to { $due }. Reason: { $reason }
milestone-moved-confirmed = Done: “{ $milestone }” of { $ref }“{ $title }” ({ $entity }) is now due on { $due }.
milestone-reached = ✅ { $ref }“{ $title }” ({ $entity }): “{ $milestone }” is done. Still ahead: { $pending }.
systematization-slipped = ⏰ The systematization of { $ref }“{ $title }” ({ $entity }) is slipping: “{ $milestone }” was due on { $due } ({ $days ->
    [one] 1 day
   *[other] { $days } days
  } ago). /milestones { $code }
participants-recorded = ✅ { $ref }“{ $title }” ({ $entity }): { $total } participants recorded.
channel-international_event = international event
channel-network = network
channel-platform = platform
channel-publication = publication
promotion-planned = 📣 Planned for { $ref }“{ $title }” ({ $entity }): { $channel } “{ $name }” by { $due }.
promotion-recorded = 📣 { $ref }“{ $title }” ({ $entity }) was promoted: { $channel } “{ $name }”, { $held }, { $place }, audience { $audience }.
companion-named = 🤝 You accompany the collaboration requests about { $ref }“{ $title }” ({ $entity }). See them with /requests
companions-named = Done: { $count } companions for { $ref }“{ $title }” ({ $entity }).
request-kind-information = information
request-kind-visit = a visit
request-kind-technical_assistance = technical assistance
request-kind-transfer = a transfer
request-outcome-information_shared = information shared
request-outcome-visit_hosted = visit hosted
request-outcome-assistance_given = technical assistance given
request-outcome-transfer_agreed = transfer agreed
request-outcome-declined = declined
collaboration-requested = 🌎 Registered: { $requester }, { $place }, asks about { $ref }“{ $title }” ({ $entity }) for { $kind }.
collaboration-requested-entity = 🌎 { $requester }, { $place }, asks about your practice { $ref }“{ $title }” ({ $entity }) for { $kind }.
collaboration-assigned-companion = 🤝 A collaboration request for you: { $requester }, { $place }, asks about { $ref }“{ $title }” ({ $entity }) for { $kind }.
    “{ $description }”
    You hold { $open } of { $capacity } open requests. Close it with /requests when it is done.
collaboration-assigned = 🤝 The request of { $requester } ({ $place }) about { $ref }“{ $title }” ({ $entity }, { $kind }) is assigned to a companion, who now holds { $open } of { $capacity } open requests. See who with /requests
collaboration-capacity-exhausted = 🚨 No companion of { $ref }“{ $title }” ({ $entity }) has capacity ({ $companions } companions, { $capacity } open requests each): the request of { $requester } ({ $place }, { $kind }) is waiting. Requests waiting: { $waiting }. /requests
collaboration-closed = ✅ The request of { $requester } ({ $place }) about { $ref }“{ $title }” ({ $entity }, { $kind }) is closed: { $outcome }.
reminder-scorecard-soon = • { $ref }“{ $title }”, your scorecard (phase { $number }): due on { $due } ({ $days ->
        [0] today
        [one] tomorrow
       *[other] in { $days } days
    })
reminder-scorecard-late = • { $ref }“{ $title }”, your scorecard (phase { $number }): was due on { $due } ({ $days ->
        [one] 1 day late
       *[other] { $days } days late
    })
reminders-escalated-scorecard = 🚨 An evaluator of { $ref }“{ $title }” ({ $entity }) has had { $count } reminders without scoring: the scorecards of phase { $number } were due on { $due }. /view { $code }

## Bogotá Shares from chat (the bot)
menu-evaluators = Suggest and assign a practice's evaluators (coordinators)
menu-score = Score a practice you evaluate
menu-decide = Decide on an evaluated practice (coordinators)
menu-milestones = See a practice's systematization schedule and report a milestone
menu-move-milestone = Move a systematization milestone (coordinators)
menu-participants = Record the participants in a systematization
menu-promotion = Plan or record a practice's promotion
menu-companions = Name the companions of a practice
menu-request = Register a collaboration request (coordinators)
menu-requests = See and close open collaboration requests
evaluation-not-allowed = Only the practice's entity and the program's coordinators do that.
evaluation-not-found = I could not find a practice with the code { $code } that you can work on here.
evaluation-not-open = { $code } is not being evaluated now (it is past its evaluation phase, decided, or not active).
evaluation-no-evaluators = The program has no active evaluators from other entities yet. Invite them with /invite.
evaluation-suggestions = Evaluators for { $ref }“{ $title }”, closest match first (choose from { $minimum } to { $maximum }; page { $page } of { $pages }):
evaluation-reason-sector = knows the sector
evaluation-reason-topics = topics: { $topics }
evaluation-reason-none = no sector or topic in common
evaluation-assign-button = ✅ Assign ({ $count })
evaluation-cancel-button = ✖️ Cancel
evaluation-team-full = The team already has { $maximum } evaluators, the most the program allows. Take someone off first.
evaluation-team-size = Choose from { $minimum } to { $maximum } evaluators.
evaluation-example-comment = Well documented, with clear results
evaluation-already-scored = You have already scored { $code }.
evaluation-comment-missing = Write your comment after the code, in the same message: what you saw in the practice.
evaluation-criterion = { $ref }“{ $title }” — criterion { $number } of { $criteria }: { $criterion }. Choose a score from { $low } to { $high }.
evaluation-scorecard-ready = Your scorecard for { $ref }“{ $title }”. Comment: { $comment }
evaluation-send-button = 📨 Send the scorecard
evaluation-scorecard-sent = I sent your scorecard. I will tell you when it is kept.
evaluation-waiting-scorecards = { $code } has { $scored } of { $evaluators } scorecards. The decision waits until every evaluator has scored.
evaluation-averages = { $ref }“{ $title }”: { $scorecards } scorecards, average scores (from { $low } to { $high }):
evaluation-overall = Overall: { $overall }. What do you decide?
evaluation-decision-selected = 🏅 Selected
evaluation-decision-not_selected = ✖️ Not selected
evaluation-decision-more_information = ℹ️ More information needed
evaluation-cancelled = Cancelled: nothing was sent.
systematization-not-selected = { $code } is not a selected practice in progress: that comes after the evaluation selects it.
systematization-schedule = Systematization of { $ref }“{ $title }”:
milestone-state-done = done on { $on }
milestone-state-late = late
milestone-state-pending = pending
systematization-no-schedule = { $code } has no systematization schedule yet: it is dated when its systematization phase starts.
milestone-done-button = ✅ Report “{ $milestone }” done
milestone-already-done = That milestone was already reported done.
milestone-number-unknown = Give the milestone's number, from 1 to { $count } (see them with /milestones { $code }).
milestone-out-of-order = A milestone must fall after the previous one and before the next. See the schedule with /milestones.
participant-public_national = public sector, national
participant-public_local = public sector, local
participant-private_sector = private sector
participant-civil_society = civil society
participant-academia = academia
participant-international = international organisations
participants-usage = Send /participants { $code } followed by { $count } whole numbers, in this order:
    { $kinds }
    For example: /participants { $code } 0 12 3 30 4 1
participants-out-of-bounds = Each number goes from 0 to { $maximum }, and at least one person took part.
promotion-choose = Promotion of { $ref }“{ $title }”: plan a channel, or record a promotion that took place?
promotion-plan-button = 🗓 Plan
promotion-held-button = 📣 Record one held
promotion-ask-channel = Which channel?
promotion-ask-name = The event, network, platform or publication's name?
promotion-ask-target = By when? Write the date as YYYY-MM-DD.
promotion-ask-held-on = When did it take place? Write the date as YYYY-MM-DD.
promotion-not-yet-held = That date is still ahead: record a promotion once it has taken place, or plan it instead.
promotion-ask-place = Where? Write the city and the country's two-letter code, for example: Lima, PE
promotion-place-invalid = Write the city, a comma and the country's two-letter code, for example: Lima, PE
promotion-ask-audience = How many people did it reach? A whole number.
promotion-audience-invalid = Write a whole number from 0 to { $maximum }.
promotion-cancelled = Cancelled: nothing about the promotion was sent.
promotion-dropped = I dropped the promotion you were filling in, because you sent another command. Send that command again.
companions-nobody = The practice's entity has no active people in the program yet.
companions-choose = Companions of { $ref }“{ $title }”: each one holds up to { $capacity } open collaboration requests.
companions-save-button = ✅ Save ({ $count })
companions-too-many = A practice has at most { $maximum } companions.
companions-none-chosen = Choose at least one companion.
request-ask-requester = A collaboration request about { $ref }“{ $title }”. Who asks? (a city, an organisation, an office)
request-ask-place = From where? Write the city and the country's two-letter code, for example: Quito, EC
request-ask-kind = What do they want?
request-ask-description = Describe the request in a few lines.
request-cancelled = Cancelled: the request was not registered.
request-dropped = I dropped the request you were registering, because you sent another command. Send that command again.
requests-none = There are no open collaboration requests.
requests-header = Open collaboration requests: { $count } ({ $waiting } waiting for a companion). Page { $page } of { $pages }.
request-state-waiting = ⏳ waiting for a companion
request-state-assigned = 👤 { $name }
request-close-button = ✔️ Close { $number }
request-assign-button = 👤 Assign { $number }
request-ask-outcome = How did the request of { $requester } end?
request-no-companions = { $code } has no companions yet: its entity names them with /companions { $code }.
request-ask-companion = Which companion takes the request of { $requester }?
card-evaluation = 🧑‍⚖️ Evaluation: { $scored } of { $evaluators } scorecards in
card-decision = Decision: { $decision ->
        [selected] 🏅 selected
        [not_selected] ✖️ not selected
       *[more_information] ℹ️ more information needed
    } (overall { $overall })
card-milestones = 🗓 Milestones: { $done } of { $total } done · next: { $next } ({ $due }){ $late ->
        [yes] {" "}⏰ late
       *[no] {""}
    }
card-participants = 👥 Participants in the systematization: { $total }
card-promotions = 📣 Promotions held: { $held } (international events: { $events }, networks: { $networks }) · planned: { $planned }
card-companions = 🤝 Companions: { $companions } · open requests: { $open } ({ $waiting } waiting)
evaluation-rescore = 🧑‍⚖️ { $ref }“{ $title }” ({ $entity }) needs more information ({ $note }). Once the entity has added it, please score it again: /score { $code } followed by your comment.
ensena-sent = Done, I asked for it. I will tell you when it is registered.
coordinators-only = Only the program's coordinators and administrators do that.
evaluators-only = Only the practice's evaluators score it.
evaluation-no-team = { $code } has no evaluation team yet: assign it with /evaluators { $code }.
milestone-reason-missing = Write the reason after the date, in the same message.
participants-not-read = I need exactly { $count } whole numbers, separated by spaces.
deliverables-complete-evaluation = 📦 { $ref }“{ $title }” has its application in. Next: its evaluation team, with /evaluators { $code }

## Bogotá Aprende: action plan and commitments (the notifier)
reason-unknown_exchange = I could not find that exchange (practices have no action plan, record or surveys).
reason-owner_not_of_entity = a commitment's owner must be an active person of the exchange's entity.
reason-too_many_commitments = the action plan already has as many commitments as it can.
reason-unknown_commitment = that exchange has no commitment with that number.
reason-commitment_done = that commitment is already done.
commitment-progress-button = 📝 Report progress
commitment-owned = 📌 You own commitment { $number } of { $ref }“{ $title }” ({ $entity }):
    { $action }
    Due: { $due } · Indicator: { $indicator } · Target: { $target }
    I will remind you before and after the date; report progress with the button.
commitment-recorded = ✅ Commitment { $number } is in the action plan of { $ref }“{ $title }”: { $action } (due { $due }; indicator: { $indicator }; target: { $target }).
commitment-status-not_started = not started
commitment-status-in_progress = in progress
commitment-status-done = done
commitment-status-blocked = blocked
commitment-updated = 📝 Commitment { $number } of { $ref }“{ $title }”: { $status }, { $percent } %. Note: { $note }
commitment-blocked = ⛔ Commitment { $number } of { $ref }“{ $title }” ({ $entity }) is blocked: { $note }. /commitments { $code }
reminder-commitment-soon = • { $ref }“{ $title }”, commitment { $number } ({ $action }): due { $due } ({ $days ->
        [0] today
        [one] tomorrow
       *[other] in { $days } days
    })
reminder-commitment-late = • { $ref }“{ $title }”, commitment { $number } ({ $action }): was due { $due } ({ $days ->
        [one] 1 day late
       *[other] { $days } days late
    })
reminders-escalated-commitment = 🚨 The owner of commitment { $number } of { $ref }“{ $title }” ({ $entity }) has had { $count } reminders without reporting progress: it was due { $due }. /commitments { $code }

## Bogotá Aprende from chat (the bot)
menu-commitment = Add a commitment to an exchange's action plan
menu-commitments = See an exchange's action plan and report progress
help-text-exchanges = Exchanges: /record, /commitment, /commitments, /survey followed by the code — the record (plan, experts, allies, budget, logistics, participants), the action plan and the surveys; /catalogue — international practices, experts and allies
plan-not-yet = { $code } has not reached the “{ $phase }” phase yet: commitments are recorded from that phase on.
plan-ask-action = New commitment for { $ref }“{ $title }”. What action does the entity commit to? (Type /cancel to leave.)
plan-no-owners = The entity has no active people in Puente to own it. Invite whoever will take on the commitment first.
plan-ask-owner = Who owns it?
plan-ask-due = By what date? Type it as YYYY-MM-DD.
plan-ask-indicator = Which indicator will measure it?
plan-ask-target = What is that indicator's target?
plan-empty = { $ref }“{ $title }” has no commitments yet. Add one with /commitment { $code }.
plan-header = 📋 Action plan of { $ref }“{ $title }”:
plan-line = { $mark } { $number }. { $action } — { $owner }, due { $due }: { $status }, { $percent } % (indicator: { $indicator }; target: { $target })
plan-progress-ask = { $ref }“{ $title }”
    { $line }
    How far along is it?
plan-done-button = ✅ Done
plan-blocked-button = ⛔ Blocked
plan-ask-blocked-note = What is blocking it? Type a short note for the coordinators.
commitment-cancelled = Done, I did not add the commitment.
commitment-dropped = I left the commitment unadded. Please type the command you wanted again.
blocked-cancelled = Done, I did not report the block.
blocked-dropped = I left the block unreported. Please type the command you wanted again.
reason-unknown_survey = I could not find that survey.
reason-already_answered = you already answered this survey from this account; one answer per account is accepted.
reason-invalid_answer = an answer rates every question from 1 to 5.
reason-survey_full = this survey takes no more answers.
survey-opened = 📊 The survey of { $ref }“{ $title }” ({ $entity }) opened as the “{ $phase }” phase ended. Get its link with /survey { $code } and forward it to the participants: it is anonymous and each account answers once.
survey-scored-low = ⚠️ The survey of { $ref }“{ $title }” ({ $entity }) after the “{ $phase }” phase averages { $average } with { $answers } answers (below { $threshold }):
    { $questions }
    /survey { $code }
menu-survey = Get an exchange's survey link and results
survey-not-found = I could not find that survey. Please check the link you were sent.
survey-welcome = 📊 Thank you for answering. { $count ->
        [one] There is 1 question
       *[other] There are { $count } questions
    } from 1 (very little) to 5 (very much), and an optional comment. The survey is anonymous: nobody will see who answered.
survey-question = { $number }/{ $count }. { $question }
survey-ask-comment = Any comment? Type it, or tap the button to finish without one.
survey-skip-button = Finish without a comment
survey-thanks = Thank you! Your answer was recorded anonymously.
survey-cancelled = Done, I left the survey unanswered. You can open the link again whenever you like.
survey-dropped = I left the survey unanswered. Please type the command you wanted again.
survey-none-yet = { $ref }“{ $title }” has no surveys yet: they open when { $phases } end.
survey-results = 📊 Survey of { $ref }“{ $title }” after the “{ $phase }” phase
    Link to forward to the participants: { $link }
    Answers: { $answers }
survey-overall = Overall average: { $average }

## Bogotá Aprende: matching and the exchange's record
match-reason-sector = same sector ({ $sector })
match-reason-words = words in common: { $words }
match-reason-country = a country of interest ({ $country })
match-reason-history = { $count ->
        [one] 1 earlier exchange
       *[other] { $count } earlier exchanges
    }
match-reason-history-scored = { $count ->
        [one] 1 earlier exchange
       *[other] { $count } earlier exchanges
    }, survey { $average }
reason-unknown_catalogue_entry = that expert, ally or practice is not in the catalogue (coordinators add it with /catalogue).
reason-ally_not_involved = a budget line is paid by the program or by an ally recorded on the exchange; record the ally first (and do not remove one that pays a line).
reason-too_many_budget_lines = the budget already has as many lines as it can.
reason-unknown_budget_line = that budget line no longer exists.
reason-plan_missing = the exchange's plan (instrument, dates and place) is missing: record it in /record.
reason-participants_missing = the participants by type are missing: record them in /record.
menu-matches = Suggest practices and experts for an exchange (coordinators)
matches-none = I found no practices or experts in the catalogue that fit { $ref }“{ $title }”. Check the catalogue with /catalogue.
matches-header = 🔎 Suggestions for { $ref }“{ $title }”, each with its reasons:
matches-kind-practices = International practices:
matches-kind-experts = Experts:
matches-choose = Mark those that go on the terms of reference's shortlist.
matches-save-button = 💾 Keep the shortlist ({ $count })
matches-nothing-chosen = Mark at least one practice or expert.
menu-record = See and complete an exchange's record
record-button-plan = 🗓 Plan
record-button-experts = 🧑‍🏫 Experts
record-button-allies = 🤝 Allies
record-button-budget = 💰 Budget
record-button-logistics = 🧳 Logistics
record-button-participants = 👥 Participants
record-header = 📁 Record of { $ref }“{ $title }”
record-none = none
record-shortlist = 🔎 Shortlist (terms of reference):
record-plan = 🗓 { $instrument }, from { $starts } to { $ends }, in { $place }
record-plan-missing = 🗓 Plan: not recorded (instrument, dates and place)
instrument-expert_mission = Expert mission
instrument-study_visit = Study visit
instrument-virtual_exchange = Virtual exchange
instrument-workshop = Workshop
record-experts = 🧑‍🏫 Experts: { $names }
record-allies = 🤝 Allies: { $names }
record-budget-empty = 💰 Budget: no lines
record-budget = 💰 Budget:
record-payer-program = Program
record-budget-total = Total { $total }: program { $program }, allies { $allies }
logistics-task-travel = Travel
logistics-task-venue = Venue
logistics-task-interpretation = Interpretation
logistics-task-materials = Materials
record-logistics = 🧳 Logistics:
record-participants = 👥 { $total } participants: { $counts }
record-participants-missing = 👥 Participants: not recorded
record-not-now = The record of { $code } cannot change in its current phase (or the exchange has ended).
record-ask-instrument = Plan of { $ref }“{ $title }”. Which instrument? (Type /cancel to leave.)
record-ask-dates = Dates? Type the start and the end as YYYY-MM-DD YYYY-MM-DD (or one date for a single day).
record-dates-invalid = I did not understand the dates. Type them as 2027-03-01 2027-03-05.
record-dates-order = The end date must be on or after the start date.
record-ask-place = Where? Type the city and the country's code, for example “Copenhagen, DK”.
record-catalogue-empty = The catalogue has no entries of that kind yet; coordinators add them with /catalogue.
record-save-button = ✅ Save ({ $count })
record-pick-experts = Mark the experts who take part (page { $page } of { $pages }):
record-pick-allies = Mark the exchange's allies (page { $page } of { $pages }):
record-add-line-button = ➕ Add a line
record-ask-concept = The line's concept? (for example “The expert's fees”)
record-ask-amount = Amount? Type it in figures, for example 1,500.50.
record-amount-invalid = I did not understand the amount. Type it in figures with at most two decimals, for example 1,500.50.
record-amount-out-of-bounds = The amount must be 0 or more (and sensible).
record-ask-currency = Currency?
record-ask-payer = Who pays it?
record-task-done-button = ✅ Done
record-ask-task = Which logistics task? (or mark it done)
record-ask-owner = Who takes care of “{ $task }”?
record-ask-participants = Type { $count } numbers, one for each type of participant, in this order:
    { $kinds }
record-plan-cancelled = Done, I did not change the plan.
record-plan-dropped = I left the plan unchanged. Please type the command you wanted again.
record-budget-cancelled = Done, I did not add the line.
record-budget-dropped = I left the line unadded. Please type the command you wanted again.
record-participants-cancelled = Done, I did not record the participants.
record-participants-dropped = I left the participants unrecorded. Please type the command you wanted again.
menu-catalogue = Catalogue of international practices, experts and allies
catalogue-header = 📚 The exchanges' catalogue. What would you like to see?
catalogue-kind-practice = International practices ({ $count })
catalogue-kind-expert = Experts ({ $count })
catalogue-kind-ally = Strategic allies ({ $count })
catalogue-add-practice = ➕ Practice
catalogue-add-expert = ➕ Expert
catalogue-add-ally = ➕ Ally
catalogue-one-practice = an international practice
catalogue-one-expert = an expert
catalogue-one-ally = a strategic ally
organisation-type-public_sector = public sector
organisation-type-private_sector = private sector
organisation-type-academia = academia
organisation-type-international_organisation = international organisation
organisation-type-civil_society = civil society
organisation-type-unknown = type not in the catalogue
support-kind-technical = technical support
support-kind-financial = financial support
support-kind-both = technical and financial support
catalogue-page = { $kind } — page { $page } of { $pages }
catalogue-empty = (no entries)
catalogue-adding = Let us add { $kind }, one field at a time. (Type /cancel to leave.)
catalogue-field-title = Title
catalogue-field-city = City
catalogue-field-country = Country
catalogue-field-organisation = Organisation
catalogue-field-sector = Sector
catalogue-field-topics = Topics
catalogue-field-summary = Summary
catalogue-field-source = Link to the source
catalogue-field-name = Name
catalogue-field-organisation_type = Type of organisation
catalogue-field-languages = Languages
catalogue-field-fee = Fee expectations
catalogue-field-support = Kind of support
catalogue-field-cofunds = What it co-funds or contributes
catalogue-which-field = Which field of “{ $name }” do you want to correct?
catalogue-ask-text = { $field }:
catalogue-ask-long = { $field } (up to a few paragraphs):
catalogue-ask-country = { $field }: the two-letter code, for example DK or NL.
catalogue-ask-choice = { $field }:
catalogue-ask-list = { $field }: separate them with commas.
catalogue-ask-languages = { $field }: two-letter codes separated by commas, for example es, en.
catalogue-ask-link = { $field }: a link starting with https://
catalogue-optional = It is optional: type { $skip } to leave it empty.
catalogue-link-invalid = That does not look like a link; it must start with http:// or https://.
catalogue-text-invalid = That will not do: check it has visible text and is not too long.
catalogue-country-invalid = Type the country's two-letter code, for example DK.
catalogue-languages-invalid = Type the languages as two-letter codes separated by commas, for example es, en.
catalogue-list-invalid = Type 1 to { $maximum } topics separated by commas.
catalogue-choose-field = Choose which field to correct with the buttons.
catalogue-choose-button = Choose an option with the buttons.
catalogue-cancelled = Done, I left the catalogue as it was.
catalogue-dropped = I left the catalogue as it was. Please type the command you wanted again.
shortlist-recorded = 🔎 Shortlist of { $ref }“{ $title }” ({ $entity }) for the terms of reference:
    { $matches }
    Add it to the terms of reference. /record { $code }
record-part-plan = plan
record-part-experts = experts
record-part-allies = allies
record-part-budget = budget
record-part-logistics = logistics
record-part-participants = participants
record-changed = ✅ { $ref }“{ $title }”: record updated ({ $part }). /record { $code }
logistics-owned = 🧳 You take care of “{ $task }” in the exchange { $ref }“{ $title }” ({ $entity }). /record { $code }
logistics-done = ✅ “{ $task }” is done in the exchange { $ref }“{ $title }”. /record { $code }
catalogue-recorded = 📚 “{ $name }” is in the catalogue.
catalogue-corrected = 📚 “{ $name }” is corrected in the catalogue.
edit-field-countries_of_interest = Countries of interest
edit-ask-countries = Type the two-letter codes of the countries you would like to learn from, separated by commas (for example DK, NL). They help suggest practices and experts.
edit-countries-invalid = Type two-letter country codes separated by commas, for example DK, NL (up to 20).
card-shortlist = 🔎 Shortlist: { $count ->
        [one] 1 practice or expert
       *[other] { $count } practices and experts
    }
card-exchange-plan = 🗓 { $instrument } from { $starts } in { $place }
card-exchange-people = 🧑‍🏫 { $experts ->
        [one] 1 expert
       *[other] { $experts } experts
    } · 🤝 { $allies ->
        [one] 1 ally
       *[other] { $allies } allies
    } · 👥 { $participants ->
        [one] 1 participant
       *[other] { $participants } participants
    }
card-commitments = 📋 Commitments done: { $done } of { $total } (/commitments { $code })
survey-already-answered = You already answered this survey from this account: one answer per account is accepted. Thank you!
not-an-exchange = { $code } is a practice; this is for exchanges.
exchange-not-allowed = Coordinators and the exchange's entity's staff do this.
plan-too-many = The action plan already has as many commitments as it can.
plan-commitment-done = That commitment is already done.
plan-ended = { $code } has ended: its action plan no longer changes.
record-ally-pays = An ally paying a budget line stays on the exchange: remove or change that line first.
record-form-open = First finish what you were recording in the record (or type /cancel).
matches-not-now = The shortlist of { $code } is made in the “{ $phase }” phase, and the exchange is not in it.
survey-results-later = Averages and comments show from { $count } answers on, so that no answer can be recognised.
catalogue-gone = That entry is no longer in the catalogue.

## Reporting: the weekly digest, /report and the dashboard
report-title-weekly = Best Practices Program weekly report — week { $week }
report-title-current = Best Practices Program report as of { $day }
report-title-period = Best Practices Program report, { $period }, as of { $day }
report-subtitle = { $office } · { $period } · data as of { $day }
report-footer = { $city } · report as of { $day }
report-status = Shared { $shared } of { $shared_target } good practices ({ $shared_percent }) and { $opportunities } of { $opportunities_target } international opportunities ({ $opportunities_percent }); { $overdue ->
    [one] 1 overdue
   *[other] { $overdue } overdue
  } and { $waiting ->
    [one] 1 decision waiting
   *[other] { $waiting } decisions waiting
  }.
report-targets = The administration's targets
report-target-shared = Good practices identified and shared
report-target-opportunities = Opportunities for learning and teaching
report-aprende-implemented = Good practices implemented
report-sectors = District Administration sectors benefited
report-aprende-experts = International experts participating
report-aprende-countries = Countries offering knowledge
report-aprende-allies = Strategic allies
report-entities = Beneficiary district entities
report-participants = Participants
report-ensena-systematized = Good practices systematized
report-ensena-channels = Promotion channels
report-experts-by-type = Experts by organisation type: { $types }
report-participants-by-type = Participants by type: { $types }
report-channels-by-kind = Channels by kind: { $kinds }
report-pipeline = Under way, by line and phase
report-on-hold = Of which on hold: { $count }
report-changes = Changes since { $since } ({ $count ->
    [one] 1 item
   *[other] { $count } items
  })
report-overdue = Overdue, by entity ({ $count })
report-deadlines = Due in the next { $days } days ({ $count })
report-due-phase = { $item }: phase “{ $what }”, due { $due } ({ $days } d)
report-due-commitment = { $item }: commitment “{ $what }”, due { $due } ({ $days } d)
report-due-milestone = { $item }: milestone “{ $what }”, due { $due } ({ $days } d)
report-requests = Open collaboration requests: { $open }, without a companion: { $unassigned }
report-waiting = Decisions waiting for a coordinator ({ $count })
report-waiting-complete-phase = { $item }: deliverables complete, the phase “{ $detail }” is to be completed
report-waiting-decide = { $item }: evaluation complete in “{ $detail }”, the decision is due
report-waiting-assign = { $item }: assign a companion to the request from { $detail }
report-surveys = Exchange surveys
report-surveys-none = No survey has the minimum of answers yet.
report-surveys-average = Average { $average } over { $surveys } surveys ({ $answers } answers). Lowest: { $lowest }
report-and-more = … and { $count } more.
change-exchange-proposed = proposed
change-practice-proposed = put forward
change-item-updated = edited
change-phase-started = phase started
change-phase-returned = sent back a phase
change-phase-completed = phase completed
change-phase-due_date_moved = due date moved
change-item-on_hold = on hold
change-item-resumed = resumed
change-item-withdrawn = withdrawn
change-item-closed = closed
change-deliverable-submitted = deliverable
change-scorecard-submitted = scorecard
change-practice-decided = decision
change-experts-recorded = experts
change-allies-recorded = allies
change-exchange-planned = exchange plan
change-exchange_participants-recorded = participants
change-participants-recorded = participants
change-promotion-recorded = promotion
change-collaboration-requested = collaboration request
change-collaboration-assigned = companion assigned
change-collaboration-closed = request closed
change-commitment-recorded = commitment
change-commitment-updated = commitment progress
change-survey-submitted = survey answer
change-systematization-scheduled = schedule
change-milestone-moved = milestone moved
change-milestone-reached = milestone reached
report-summary-more = The details, with the charts, are in the attached PDF.
reason-unknown_period = the city file has no such period.
panel-title = Best Practices Program coordination dashboard
panel-sign-in-how = To sign in, send /panel to the program's Telegram bot: it gives you a one-time link, valid for 10 minutes. Only coordinators get a link.
panel-link-refused = That link does not work: it was used, it expired, or it is not a coordinator's. Ask the bot for another with /panel.
panel-unknown-period = The city file has no such period.
panel-bad-export = There is no such export: pick a table and a format from the dashboard.
panel-no-such-report = I could not find that report.
panel-other-language = Español
panel-sign-out = Sign out
panel-as-of = data as of { $day }
panel-request-assigned = { $item }: { $requester } ({ $country }), since { $day }, with a companion
panel-request-waiting = { $item }: { $requester } ({ $country }), since { $day }, without a companion
panel-exports = Export (CSV, XLSX, JSON)
panel-table-items = Items
panel-table-phases = Phases completed
panel-table-commitments = Commitments
panel-table-participants = Participants
panel-table-indicators = Indicators
panel-archive = Earlier weekly reports
panel-archive-empty = No weekly report yet.
menu-report = Get the program's report as of today (PDF)
menu-panel = Sign in to the coordination dashboard (one-time link)
report-coming = 📊 I am preparing the report; it comes shortly as a PDF.
report-unknown-period = I do not know that period. The city file has: { $periods }
panel-link = 🔐 Your link to the coordination dashboard, for one use and valid for { $minutes } minutes:
    { $link }
    Do not share it: it opens your session.
panel-sign-in-confirm = This link opens your session on the dashboard. It works once.
panel-sign-in-button = Sign in to the dashboard
