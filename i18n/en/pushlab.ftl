# pushlab, English. Ids: <screen>-<what>. See ARCHITECTURE.md, "Translations".

## Navigation and settings (app/nav.rs, theme.rs)

nav-logo = Pushlab logo
nav-group-set-up = Set up
nav-group-send = Send
nav-group-test = Test
nav-credentials = Credentials
nav-connection = Connection
nav-compose = Compose & Send
nav-batch = Batch
nav-channels = Channels
nav-history = History
nav-simulator = Simulator
nav-appearance = Appearance
appearance-system = Follow system
appearance-light = Light
appearance-dark = Dark
nav-language = Language
# $language: the system's language, named in itself ("English", "简体中文").
nav-language-system = Follow system ({ $language })
nav-drop-one = Drop to import this file
nav-drop-many = Drop to import these { NUMBER($count) } files
nav-drop-kinds = Certificates (.cer), keys (.pem, .key), .p12 and .p8 files

## Fonts (fonts.rs)

fonts-missing-cjk = Chinese, Japanese and Korean text shows as boxes: no font for it was found. Install a CJK font such as Noto Sans CJK to see this text.
fonts-missing-other = Some scripts (Arabic, Hebrew or others) have no font on this system and show as boxes. Install Noto Sans or DejaVu Sans to see this text.
fonts-hide-note = Hide
fonts-language-needs-cjk = Chinese needs a CJK font (such as Noto Sans CJK); until one is installed the app stays in English.

## compose/mod.rs

compose-heading = Compose & Send
compose-token = Device token
compose-token-hint = paste the token your app logged, in any form
compose-saved-devices = Saved devices
compose-no-devices = No saved devices
compose-save-device = Save device…
compose-device-name = Device name
compose-device-group = Group
compose-save = Save
compose-forget = Forget this device
compose-demo = Use the demo device
# The demo device as it is saved (its name and group are the user's from then on).
compose-demo-device-name = Demo iPhone (simulator)
compose-demo-device-group = demo
compose-device-in-group = { $name } — { $group } ({ $environment })
compose-device-alone = { $name } ({ $environment })
compose-push-type = Push type
compose-template = Template
# The words the ready-made payloads show on a lock screen (payload content, sent as written).
compose-template-alert-title = Hello
compose-template-alert-body = Sent with pushlab
compose-template-rich-title = Photo from Alice
compose-template-rich-body = Tap to see it
compose-template-order-title = Order placed
compose-template-order-body = We are preparing your order
compose-template-smoke-title = Smoke detected
compose-template-smoke-body = Kitchen
compose-bundle = Bundle id
compose-form = Form
compose-json = JSON
compose-payload = Payload JSON
compose-kept-payload = Your payload was kept. Pick a template to start from this push type's usual payload.
compose-json-only = A { $type } push has no alert to fill in: its payload is written as JSON.
compose-headers = Headers
compose-priority = Priority
compose-expiration = Expiration
compose-collapse-id = Collapse id
compose-apns-id = apns-id
compose-new-id = New apns-id
compose-send = Send
compose-sending = Sending…
compose-send-hint = Ctrl+Enter (Cmd+Enter on a Mac) sends too.
compose-curl = Copy as curl
compose-curl-done = Copied. The passphrase and provider token are left as $PEM_PASSPHRASE and $PROVIDER_TOKEN.
compose-curl-local = For the local simulator, save its CA as simulator-ca.pem with Export CA… on the Simulator screen.
compose-response = Response
compose-guide = First run: send a push in four steps, no Apple account needed
compose-hide-guide = Hide the guide

## batch/mod.rs

batch-heading = Batch
batch-intro = Send the notification from Compose & Send to many devices: one result per token, dead tokens listed so you can remove them from your database.
batch-paste = Tokens, one per line (a name after the token is optional)
batch-import = Import file…
batch-import-path = Token file path
batch-load = Load file
batch-clear-import = Remove imported file
batch-saved = Saved devices and groups
batch-send = Send batch
batch-cancel = Cancel batch
batch-filter = Filter results
batch-show = Show
batch-dead = Dead tokens
batch-unconfirmed-hint = Unconfirmed: sent, but no answer came, so APNs may or may not have them. They were not sent again, so no phone shows a push twice; turn on "Resend unconfirmed" if a duplicate is better than a loss.
batch-wrong-environment = Most tokens got BadDeviceToken: the environment is probably wrong, not the tokens (apps run from Xcode get sandbox tokens; TestFlight and App Store builds, production ones). Do not delete them.
batch-probe-other = Try one token in the other environment
batch-bad-tokens-hint = got BadDeviceToken: malformed, or from the other environment. Check them; do not delete them.
batch-resend-unconfirmed = Resend unconfirmed
batch-resend-unconfirmed-hint = Send pushes that got no answer again. The phone may then show one twice; off, they are reported unconfirmed.
batch-dead-hint = APNs says these tokens will never work again (app deleted, notifications turned off, or the token expired). Remove them from your database.
batch-export = Export…
batch-export-what = Export
batch-export-path = Export path
batch-save-to-path = Save to path
batch-summary = Summary
batch-connections = Connections
batch-auto-connections = Add as needed
batch-auto-connections-hint = Start with one connection and add one, up to the number set (8 when it is 1), while every connection is full and answers wait on the network rather than on this computer. Where Apple is far away, a batch then goes faster without opening connections it does not need.
batch-in-flight = Most in flight per connection
batch-settings-hint = More connections spread the load, as Apple suggests; the server may allow fewer pushes in flight than asked.

## connection/mod.rs

connection-heading = Connection
connection-intro = Choose where pushes go and which credential proves who you are, then check the connection step by step: the tutorials' telnet and openssl s_client, with a sentence for every failure.
connection-where = Send to
connection-credential = Credential
connection-port = Port
connection-port-443 = 443 (HTTPS)
connection-port-2197 = 2197 (when a firewall blocks 443)
connection-custom-host = Host and port
connection-custom-ca = CA file (PEM, optional)
connection-key-id = Key id
connection-id-hint = 10 letters and digits
connection-key-id-from-file = from the file name (AuthKey_<key id>.p8); type another to replace it
connection-team-id = Team id
connection-bundle-id = App bundle id
connection-check = Check connection
connection-checking = Checking…
connection-check-hint = Looks up the host, connects, shakes hands with TLS and HTTP/2, then sends a request that cannot reach a device: each step timed, and on failure what to do.
connection-check-caveat = The probe sends a request for a deliberately invalid device token, so nothing is delivered. BadDeviceToken shows the connection and the credential were accepted; it does not prove the topic is right, because Apple does not document whether APNs checks the topic before the token.
connection-passed = Connection works
connection-failed = The connection check failed
connection-details = Server certificate chain and HTTP/2 settings
connection-no-credentials = No usable credential yet. Import one on the Credentials screen, or make a test certificate for the local simulator:
connection-generate = Generate a test certificate
connection-sim-not-running = The local simulator is not running — start it on the Simulator screen.
connection-choose-credential = Choose a credential first: import one on the Credentials screen, or generate a test certificate.

## simulator/mod.rs

simulator-heading = Simulator
simulator-intro = A local APNs server inside pushlab. It answers like Apple's servers, trusts the test certificates made on the Credentials screen, and shows what a phone would have displayed.
simulator-running = Running
simulator-stopped = Stopped
simulator-starting = Starting…
simulator-start = Start simulator
simulator-stop = Stop simulator
simulator-apply = Apply and restart
simulator-apply-live = Apply
simulator-applied-live = Applied to the running simulator: its inbox and its address stay.
simulator-environment = Environment
simulator-port = Port
simulator-port-hint = 0 picks a free port
simulator-faults = Injected failures
simulator-faults-hint = For testing how your sender copes. Faults apply to the running simulator at once; a new port or environment restarts it with its inbox kept (a new environment starts with no channels, as Apple's do).
simulator-error-share = Share of requests refused (%)
simulator-error-reason = Refused with
simulator-goaway = GOAWAY after this many requests per connection (0: never)
simulator-latency = Extra latency per answer (ms)
simulator-reset-processed = Deliver, then reset without an answer: every Nth push (0: never)
simulator-drop-processed = Drop the connection after delivering this many pushes, unanswered (0: never)
simulator-unanswered-hint = Pushes that arrive but get no answer: the sender must report them unconfirmed, never delivered, and not send them twice.
simulator-answer-from-headers = Answer from the headers, before the body
simulator-answer-from-headers-hint = A push its headers already rule out (a bad token or path, a wrong topic, a refused credential, an injected error) is answered before its body is read, and the body is stopped (RST_STREAM NO_ERROR), as HTTP/2 front ends may. The sender must take that answer, not send the push again.
simulator-export-ca = Export CA…
simulator-export-path = CA file path
simulator-save-ca = Save CA to path
simulator-export-hint = Clients that talk to the simulator must trust this CA (curl --cacert, pushlab --ca).
simulator-inbox = Inbox
simulator-clear = Clear inbox
simulator-empty-inbox = Nothing delivered yet. Send a push on the Compose screen and it shows up here.
simulator-silent = Silent push — the app is woken in the background, the user sees nothing
simulator-voip = VoIP push — the app is woken to report an incoming call
simulator-live-activity = Live Activity push — the Lock Screen activity changes
simulator-widgets = Widget push — the app's widgets reload their content
simulator-other-quiet = push — handled by the app, nothing is shown
simulator-not-running-for-ca = Start the simulator first: its CA is read when it runs.

## history.rs

history-heading = History
history-search = Search history
history-empty = Nothing sent yet. Every push sent from Compose & Send is kept here, with its answer.
history-no-match = No send matches the search.
history-resend = Send again
history-load = Open in Compose
history-clear = Clear history
history-request = Request
history-pick = Choose a send on the left to see its request and answer.
history-batch-result = Batch result
history-batch-sample = First tokens not delivered

## widgets/replace_prompt.rs

replace-replace = Replace
replace-cancel = Cancel
replace-hint = Replacing it cannot be undone.

## app (labels)

app-a-batch-is-still-sending = A batch is still sending
app-state-unreadable-kept = The settings saved last time could not be read, so the app started with its defaults. They were kept, as they were, in { $path }.
app-state-unreadable-lost = The settings saved last time could not be read, so the app started with its defaults; they could not be kept ({ $error }).
app-closing-now-stops-the-batch = Closing now stops the batch: the rest are not sent.
app-keep-sending = Keep sending
app-stop-the-batch-and-close = Stop the batch and close
app-pushlab = Pushlab
app-the-other-environment-exists-only = The other environment exists only for Apple's hosts: choose Apple sandbox or production on the Connection screen.

## batch (labels)

batch-dead-tokens-txt = Dead tokens (.txt)
batch-wrong-token-or-environment-txt = Wrong token or environment (.txt)
batch-unconfirmed-and-not-sent-txt = Unconfirmed and not sent (.txt)
batch-all-results-csv = All results (.csv)
batch-all-results-json = All results (.json)
batch-export-batch-results = Export batch results
batch-import-device-tokens = Import device tokens
batch-740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad-alices-iphone = 740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad Alice's iPhone
batch-notification = Notification
batch-edit = Edit…
batch-to = To
batch-change = Change…
batch-results-appear-here-while-the = Results appear here while the batch runs.
batch-sending = Sending…
batch-export-the-full-list-below = … export the full list below.
batch-all = All
batch-delivered = Delivered
batch-rejected = Rejected
batch-unconfirmed = Unconfirmed
batch-not-sent = Not sent
batch-invalid-input = Invalid input
batch-wrong-token-or-environment = Wrong token or environment
batch-token-name-or-reason = token, name or reason
batch-device = Device
batch-status = Status
batch-reason = Reason
batch-latency = Latency

## compose (labels)

compose-this-devices-token-is = This device's token is
compose-alices-iphone = Alice's iPhone
compose-shared-bobs-ipad = shared: Bob's iPad
compose-sandbox = Sandbox
compose-cancel = Cancel
compose-badge = Badge
compose-set-the-badge = Set the badge
compose-interruption-level = Interruption level
compose-content-available-wake-the-app = content-available (wake the app in the background)
compose-mutable-content-let-a-service = mutable-content (let a service extension change it)
compose-make-a-test-certificate = Make a test certificate
compose-generate-a-test-certificate = Generate a test certificate
compose-check-the-connection = Check the connection
compose-check = Check
compose-send-to-the-demo-device = Send to the demo device
compose-see-it-in-the-simulators = See it in the simulator's inbox
compose-open-simulator = Open Simulator
compose-choose = Choose…
compose-the-json-does-not-parse = The JSON does not parse, so the form cannot show it: fix it in the JSON view.
compose-format-json = Format JSON
compose-compact-json = Compact JSON
compose-200-delivered = 200 Delivered
compose-no-answer = No answer
compose-status = Status
compose-latency = Latency
compose-topic = Topic
compose-sent-to = Sent to
compose-to = To
compose-change = Change…
compose-from-the-certificate = from the certificate
compose-10-immediately = 10 — immediately
compose-5-when-power-allows = 5 — when power allows
compose-1-lowest-may-be-grouped = 1 — lowest, may be grouped
compose-0-now-or-never = 0 (now or never)
compose-now = now +
compose-at-unix-time = at (UNIX time)
compose-optional-up-to-64-bytes = optional, up to 64 bytes
compose-empty-apns-makes-one = empty: APNs makes one
compose-alert = Alert
compose-badge-only = Badge only
compose-silent-background = Silent / background
compose-voip-call = VoIP call
compose-rich-mutable-content = Rich (mutable-content)
compose-live-activity-start = Live Activity: start
compose-live-activity-update = Live Activity: update
compose-live-activity-end = Live Activity: end
compose-widgets = Widgets
compose-critical-alert = Critical alert

## connection (labels)

connection-addresses = Addresses
connection-settings-max-concurrent-streams = SETTINGS_MAX_CONCURRENT_STREAMS
connection-tls = TLS
connection-client-certificate-sent = Client certificate sent
connection-subject = Subject
connection-issuer = Issuer
connection-expires-in = Expires in
connection-probe-answer = Probe answer
connection-local-simulator = Local simulator
connection-apple-sandbox = Apple sandbox
connection-apple-production = Apple production
connection-custom-host-2 = Custom host
connection-runs-inside-pushlab-no-apple = runs inside pushlab; no Apple account needed
connection-api-sandbox-push-apple-com = api.sandbox.push.apple.com — apps run from Xcode
connection-api-push-apple-com-testflight = api.push.apple.com — TestFlight and App Store builds
connection-a-company-gateway-or-pushlab = a company gateway, or pushlab sim on another machine
connection-local-simulator-not-running = Local simulator (not running)
connection-type-your-team-id-10 = Type your team id (10 characters, on the developer portal's Membership page).
connection-simulator = Simulator:
connection-open-simulator = Open Simulator
connection-use = Use
connection-token-based-pushlab-signs-a = Token-based: pushlab signs a provider token with this key.
connection-this-is-a-development-sandbox = This is a development (sandbox) certificate: Apple's production server refuses it. Send to the sandbox, or use the production certificate.
connection-this-is-a-production-certificate = This is a production certificate: Apple's sandbox refuses it. Send to production, or use the development certificate.

## credentials (labels)

credentials-add-a-credential = Add a credential
credentials-pushlab-reads-what-apple-and = Pushlab reads what Apple and Keychain Access give you:
credentials-the-push-certificate-from-the = •  the push certificate from the developer portal (aps.cer)
credentials-the-p12-exported-from-keychain = •  the .p12 exported from Keychain, with or without a passphrase
credentials-a-pem-file-cert-pem = •  a PEM file (cert.pem, key.pem or a combined ck.pem)
credentials-an-apns-auth-key-authkey = •  an APNs auth key (AuthKey_XXXXXXXXXX.p8) for token-based pushes
credentials-drop-them-onto-this-window = Drop them onto this window, choose them with “Choose files…”, or type a path. A certificate and its key dropped together become one credential.
credentials-no-apple-account-yet-issue = No Apple account yet? Issue a test certificate from the simulator's CA and walk the whole path with the built-in simulator.
credentials-new-test-certificate = New test certificate or key…
credentials-unlock = Unlock
credentials-remove-from-list = Remove from list
credentials-try-again = Try again
credentials-bundle-id = Bundle id
credentials-team-id = Team id
credentials-topics = Topics
credentials-environment = Environment
credentials-valid-from = Valid from
credentials-valid-until = Valid until
credentials-days-left = Days left
credentials-subject = Subject
credentials-issuer = Issuer
credentials-serial = Serial
credentials-sha-1 = SHA-1
credentials-sha-256 = SHA-256
credentials-public-key = Public key
credentials-private-key = Private key
credentials-key-id = Key id
credentials-curve = Curve
credentials-token-signing = Token signing
credentials-not-usable-for-apns-tokens = not usable for APNs tokens
credentials-p12-encryption = .p12 encryption
credentials-also-in-the-file = Also in the file
credentials-file = File
credentials-key-file = Key file
credentials-certificate-key = Certificate + key
credentials-certificate-only = Certificate only
credentials-key-only = Key only
credentials-auth-key-p8 = Auth key (.p8)
credentials-no-save-dialog-could-be = No save dialog could be opened on this desktop (it needs xdg-desktop-portal or zenity). Type the path in the field below instead.
credentials-combined-pem-cert-key = Combined PEM (cert + key)
credentials-certificate-pem = Certificate PEM
credentials-key-pem = Key PEM
credentials-this-entry-has-no-certificate = This entry has no certificate to export.
credentials-export-credential = Export credential
credentials-export = Export
credentials-without-the-private-key-only = Without the private key only the certificate can be exported. Import the key or the .p12 too: they pair up by themselves.
credentials-certificate-then-key-as-php = Certificate then key, as PHP, Ruby and Node scripts want it (ck.pem). Written owner-only (0600).
credentials-the-certificate-alone-cert-pem = The certificate alone (cert.pem). It holds no secret.
credentials-the-private-key-alone-key = The private key alone (key.pem). Written owner-only (0600).
credentials-aes-256-with-a-sha = AES-256 with a SHA-256 MAC, for current macOS and OpenSSL 3.
credentials-rc2-3des-with-a-sha = RC2/3DES with a SHA-1 MAC, for old Keychains and tools that reject AES.
credentials-export-passphrase-optional = Export passphrase (optional)
credentials-save-as = Save as…
credentials-or-type-a-path = or type a path:
credentials-save-to-path = Save to path
credentials-save = Save
credentials-type-where-to-save-the = Type where to save the file, or use “Save as…”.
credentials-writing = Writing…
credentials-there-is-no-data-folder = There is no data folder for pushlab on this system (no home folder?), so the test CA has nowhere to live.
credentials-generate-a-test-certificate = Generate a test certificate
credentials-issued-by-the-simulators-test = Issued by the simulator's test CA, shaped like Apple's: the simulator accepts it, Apple does not.
credentials-sandbox-only-like-apps-run = sandbox only, like apps run from Xcode
credentials-testflight-and-app-store-builds = TestFlight and App Store builds
credentials-sandbox-production-with-voip-and = sandbox & production, with .voip and .complication topics
credentials-generate-test-certificate = Generate test certificate
credentials-creating-keys = Creating keys…
credentials-type-a-bundle-id-first = Type a bundle id first.
credentials-a-bundle-id-holds-only = A bundle id holds only letters, digits, dots and hyphens (no spaces), for example com.example.doorbell.
credentials-a-bundle-id-has-no = A bundle id has no empty parts between dots, for example com.example.doorbell.
credentials-credentials = Credentials
credentials-push-certificates-keys-p12-and = Push certificates, keys, .p12 and .p8 files. Drop files anywhere on the window.
credentials-choose-files = Choose files…
credentials-file-path = File path
credentials-path-to-push-p12 = /path/to/Push.p12
credentials-import = Import
credentials-no-credentials-yet = No credentials yet.
credentials-reading = Reading…
credentials-passphrase-needed = 🔒 Passphrase needed
credentials-could-not-be-read = ⚠ Could not be read
credentials-problem = ⚠ Problem
credentials-import-credentials = Import credentials
credentials-certificates-and-keys = Certificates and keys
credentials-no-file-dialog-could-be = No file dialog could be opened on this desktop (it needs xdg-desktop-portal or zenity). Type the file's path below, or drop the files onto this window.

## dialogs (labels)

dialogs-all-files = All files

## history (labels)

history-device-token-title-reason-topic = device, token, title, reason, topic
history-keep-them = Keep them

## simulator (labels)

simulator-export-the-simulators-ca = Export the simulator's CA
simulator-ca-certificate = CA certificate

## widgets (labels)

widgets-copy = Copy
connection-chip-sandbox = Sandbox
connection-chip-production = Production
connection-chip-universal = Sandbox + production
credentials-p12-legacy = .p12 (legacy)
credentials-type-the-bundle-id = Type the bundle id of your app, for example com.example.doorbell.
credentials-saved-to = Saved to { $path }
simulator-saved-ca-to = Saved the CA to { $path }.
batch-saved-to = Saved { $path }.
dialogs-no-file-dialog = No file dialog is available on this desktop — type the path in the field and press the button next to it.
credentials-usable-for-es256-tokens = usable for ES256 tokens

## Counts, plurals and values

compose-byte-meter = { NUMBER($size) } / { NUMBER($limit) } bytes
app-closing-with-progress = { NUMBER($done) } of { NUMBER($total) } pushes have an answer. Closing now stops the batch: the rest are not sent.
history-kept =
    { $count ->
        [one] 1 send kept (the newest { NUMBER($limit) } sends and { NUMBER($batches) } batches are kept; older ones go)
       *[other] { NUMBER($count) } sends kept (the newest { NUMBER($limit) } sends and { NUMBER($batches) } batches are kept; older ones go)
    }
history-replace-draft = This replaces the notification Compose & Send holds now.
history-replace = Replace it
history-replace-and-send = Replace it and send
history-keep-draft = Keep mine
history-forget-all =
    { $count ->
        [one] Forget the 1 send?
       *[other] Forget all { NUMBER($count) } sends?
    }
batch-count-delivered = { NUMBER($count) } delivered
batch-count-rejected = { NUMBER($count) } rejected
batch-count-unconfirmed = { NUMBER($count) } unconfirmed
batch-count-not-sent = { NUMBER($count) } not sent
batch-count-invalid = { NUMBER($count) } invalid input
batch-count-no-answer = { NUMBER($count) } no answer
batch-count-dead = { NUMBER($count) } dead
batch-count-wrong-environment = { NUMBER($count) } wrong token or environment
batch-count-of-total = of { NUMBER($count) }
history-row-device = Device
history-row-token = Token
history-row-push-type = Push type
history-row-topic = Topic
history-row-credential = Credential
history-row-priority = Priority
history-row-collapse-id = Collapse id
history-sent-to = Sent to { $destination }
widgets-hide = Hide
widgets-show = Show
widgets-hide-field = Hide { $field }
widgets-show-field = Show { $field }
widgets-copy-field = Copy { $field }
replace-exists = { $name } exists. Replace it?
replace-in-folder = In { $folder }. Replacing it cannot be undone.
batch-time-left = {" "}· about { $time } left
batch-finished =
    Finished in { $seconds } s over { $connections ->
        [one] 1 connection
       *[other] { NUMBER($connections) } connections
    }, { $retries ->
        [one] 1 retry
       *[other] { NUMBER($retries) } retries
    }.
# $why: a batch-stop-* sentence.
batch-stopped =
    Stopped after { $seconds } s over { $connections ->
        [one] 1 connection
       *[other] { NUMBER($connections) } connections
    }, { $retries ->
        [one] 1 retry
       *[other] { NUMBER($retries) } retries
    }: { $why }.
duration-seconds = { $s } s
duration-minutes = { $min } min { $s } s
duration-hours = { $h } h { $min } min
batch-tokens-entered =
    { $count ->
        [one] 1 token entered
       *[other] { NUMBER($count) } tokens entered
    }
batch-imported-file =
    { $name } · { $count ->
        [one] 1 token
       *[other] { NUMBER($count) } tokens
    }
batch-rows-shown =
    { NUMBER($shown) } of { $count ->
        [one] 1 row
       *[other] { NUMBER($count) } rows
    }
batch-rows-unlisted = { $count } more results are counted in the summary but not listed or exported: the table keeps the first { $delivered } delivered and { $max } in all, to bound memory. `pushlab batch --json` lists every one.
batch-sort-by = Sort by { $column }
credentials-chip-token = Token
credentials-chip-universal = Universal
credentials-chip-not-apns = Not for APNs
credentials-expired = Expired
credentials-days-left-count =
    { $days ->
        [one] 1 day left
       *[other] { NUMBER($days) } days left
    }
credentials-show-entry = Show { $name }
fix-prefix = Fix: { $fix }
connection-step-running = { $step } — running
connection-step-not-run = { $step } — not run
connection-step-dns = DNS lookup
connection-step-tcp = TCP connection
connection-step-tls = TLS handshake
connection-step-http2 = HTTP/2 session
connection-step-auth = Authenticated request
connection-step-passed = passed
connection-step-failed = failed
connection-step-skipped = skipped
connection-step-status = { $step } — { $status }

## Apple reasons: meaning and fix (apns/reason.rs, explained in gui/i18n/reasons.rs)

reason-bad-collapse-id-meaning = The collapse id is longer than 64 bytes.
reason-bad-collapse-id-fix = Shorten apns-collapse-id to at most 64 bytes.
reason-bad-device-token-meaning = The device token is invalid, or belongs to the other environment.
reason-bad-device-token-fix = Check the token; a token from an app run from Xcode works only with the sandbox, TestFlight/App Store tokens only with production.
reason-bad-expiration-date-meaning = The apns-expiration value is not valid.
reason-bad-expiration-date-fix = Send a UNIX time in seconds, or 0 to try once.
reason-bad-message-id-meaning = The apns-id value is not a valid UUID.
reason-bad-message-id-fix = Use a lower-case 8-4-4-4-12 UUID, or leave apns-id out.
reason-bad-priority-meaning = The apns-priority value is not valid.
reason-bad-priority-fix = Use 10 (now), 5 (power-friendly) or 1; background pushes must use 5.
reason-bad-topic-meaning = The apns-topic is not valid.
reason-bad-topic-fix = Use the bundle id, plus the suffix the push type needs (e.g. .voip), covered by your certificate or key.
reason-device-token-not-for-topic-meaning = The device token does not belong to this topic.
reason-device-token-not-for-topic-fix = Send to a token of the app whose bundle id is the topic.
reason-duplicate-headers-meaning = A header was sent more than once.
reason-duplicate-headers-fix = Send each header once.
reason-idle-timeout-meaning = The connection was idle too long.
reason-idle-timeout-fix = Open a new connection; send a PING on idle connections.
reason-invalid-push-type-meaning = The apns-push-type value is not valid.
reason-invalid-push-type-fix = Use one of alert, background, complication, controls, fileprovider, liveactivity, location, mdm, pushtotalk, voip, widgets.
reason-missing-device-token-meaning = The request path has no device token.
reason-missing-device-token-fix = Send to /3/device/<token>.
reason-missing-topic-meaning = The apns-topic header is required and missing.
reason-missing-topic-fix = Add apns-topic (always required with multi-topic certificates and token auth).
reason-payload-empty-meaning = The request had no payload.
reason-payload-empty-fix = Send a JSON payload, at least {"{"}"aps":{"{"}{"}"}{"}"}.
reason-topic-disallowed-meaning = Pushing to this topic is not allowed.
reason-topic-disallowed-fix = Check the topic is one your app may push to.
reason-topic-disallowed-over-certificate-fix = Apple takes { $push_type } pushes only over a token-based connection: send them with an auth key (.p8) instead of a certificate.
reason-missing-channel-id-meaning = The apns-channel-id header is missing.
reason-missing-channel-id-fix = Send the channel id APNs returned when the channel was created, in apns-channel-id.
reason-bad-channel-id-meaning = The apns-channel-id value is not a valid channel id.
reason-bad-channel-id-fix = Send the channel id exactly as APNs returned it: base64 text, padding included.
reason-channel-not-registered-meaning = No channel with this id exists for this app in this environment.
reason-channel-not-registered-fix = Channels belong to one app and one environment: list the channels, or create the channel in this environment.
reason-cannot-create-channel-config-meaning = The app has reached its limit of channels.
reason-cannot-create-channel-config-fix = Delete channels no longer in use (list them first), then create it again.
reason-feature-not-enabled-meaning = Broadcast push notifications are not enabled for this app.
reason-feature-not-enabled-fix = Enable the Broadcast capability for the app's identifier in the developer portal.
reason-missing-push-type-meaning = The apns-push-type header is missing.
reason-missing-push-type-fix = Send apns-push-type: liveactivity with every broadcast.
reason-bad-request-params-meaning = The channel request has a parameter that is missing, unknown or not valid.
reason-bad-request-params-fix = Create a channel with exactly two attributes: message-storage-policy (0 or 1) and push-type (LiveActivity).
reason-bad-request-payload-meaning = The channel request's body is not valid JSON.
reason-bad-request-payload-fix = Send a JSON object, such as {"{"}"message-storage-policy":1,"push-type":"LiveActivity"{"}"}.
reason-topic-mismatch-meaning = The certificate or key belongs to another app than the one in the request path.
reason-topic-mismatch-fix = Use the certificate or key of the app whose channels these are, or name the certificate's own app.
reason-bad-certificate-meaning = The client certificate is invalid.
reason-bad-certificate-fix = Use the push certificate from the Apple developer portal with its private key.
reason-bad-certificate-environment-meaning = The client certificate is for the other environment.
reason-bad-certificate-environment-fix = Use a production (or Sandbox & Production) certificate for production, a development one for the sandbox.
reason-expired-provider-token-meaning = The provider token (JWT) is older than one hour.
reason-expired-provider-token-fix = Make a new token; if it is fresh, this computer's clock is wrong.
reason-forbidden-meaning = The action is not allowed.
reason-forbidden-fix = Check the key or certificate has push enabled for this app.
reason-invalid-provider-token-meaning = The provider token is invalid or its signature does not verify.
reason-invalid-provider-token-fix = Check key id, team id and the .p8 key belong together.
reason-missing-provider-token-meaning = No client certificate and no provider token were sent.
reason-missing-provider-token-fix = Connect with a push certificate, or send authorization: bearer <JWT>.
reason-unrelated-key-id-in-token-meaning = The token's key id is unrelated to the key used first on this connection.
reason-unrelated-key-id-in-token-fix = Use a separate connection per key.
reason-bad-environment-key-id-in-token-meaning = The token's key is for the other environment.
reason-bad-environment-key-id-in-token-fix = Use a key configured for this environment, or a new connection.
reason-bad-path-meaning = The request path is not valid.
reason-bad-path-fix = Send to /3/device/<token>.
reason-method-not-allowed-meaning = Only POST is supported.
reason-method-not-allowed-fix = Use POST.
reason-expired-token-meaning = The device token has expired.
reason-expired-token-fix = Stop sending to this token and remove it.
reason-unregistered-meaning = The token is no longer active for the topic (app deleted or notifications turned off).
reason-unregistered-fix = Stop sending to this token and remove it from your database.
reason-payload-too-large-meaning = The payload is too large.
reason-payload-too-large-fix = Keep the payload within 4096 bytes (5120 for VoIP).
reason-too-many-provider-token-updates-meaning = The provider token was replaced too often.
reason-too-many-provider-token-updates-fix = Reuse one token for 20 to 60 minutes.
reason-too-many-requests-meaning = Too many requests to the same device token in a row.
reason-too-many-requests-fix = Slow down and retry later.
reason-internal-server-error-meaning = APNs had an internal error.
reason-internal-server-error-fix = Retry later with back-off.
reason-service-unavailable-meaning = The service is unavailable.
reason-service-unavailable-fix = Retry later with back-off.
reason-shutdown-meaning = The APNs server is shutting down.
reason-shutdown-fix = Retry on a new connection.
batch-file-read =
    { $name }: { $count ->
        [one] 1 token
       *[other] { NUMBER($count) } tokens
    }{ $invalid ->
        [0] {""}
        [one] , 1 line is not a token (it is reported as invalid input)
       *[other] , { NUMBER($invalid) } lines are not tokens (each is reported as invalid input)
    }{ $latin1 ->
        [0] {""}
        [one] ; 1 line is not UTF-8 and was read as Latin-1
       *[other] ; { NUMBER($latin1) } lines are not UTF-8 and were read as Latin-1
    }
batch-group = Group: { $group }
batch-send-to-count =
    { $count ->
        [one] Send batch to 1 device
       *[other] Send batch to { NUMBER($count) } devices
    }
app-payload-line = { $type } push, { NUMBER($size) } bytes
app-payload-line-errors = { $type } push, { NUMBER($size) } bytes — has errors: fix it on Compose & Send
connection-local-simulator-at = Local simulator ({ $addr })
connection-apple-at-port = { $place } (port { $port })
connection-place-with = { $place } with { $credential }
connection-place-no-credential = { $place }, no credential chosen
compose-token-ok = ✔ { $bytes }-byte token
compose-token-ok-tidied = ✔ { $bytes }-byte token — tidied up from what was pasted (spaces, brackets, case)
compose-priority-default = default ({ $priority })
compose-expiration-none = none
compose-field-title = Title
compose-field-subtitle = Subtitle
compose-field-body = Body
compose-field-sound = Sound
compose-field-category = Category
compose-field-thread-id = Thread id
compose-field-title-hint = Someone is at the door
compose-field-subtitle-hint = Front door
compose-field-body-hint = Tap to see who it is

## Doctor
nav-doctor = Doctor
doctor-heading = Doctor
doctor-intro = Why doesn't my push arrive? The doctor checks the credential and destination chosen on Connection with the device token, bundle id and payload of Compose & Send, sends a test push, and names the most likely cause first.
doctor-what-you-have = What the doctor checks
doctor-no-token = No device token on Compose & Send: the doctor checks everything but the delivery.
doctor-token-from-compose = Device token from Compose & Send: { $token }
doctor-built-with = How was the app on the phone built?
doctor-build-unknown = I don't know
doctor-build-xcode = Run from Xcode (sandbox tokens)
doctor-build-testflight = TestFlight or App Store (production tokens)
doctor-send-test-push = Send a test push to the token (it shows on the phone)
doctor-probe-other = If APNs answers BadDeviceToken, send it once to the other environment to find out where the token belongs
doctor-other-env = The other environment (host:port)
doctor-this-env = The server above stands for
doctor-run = Diagnose
doctor-running = Checking…
doctor-verdict = Verdict
doctor-fix = Fix: { $fix }
doctor-area-credential = Credential
doctor-area-token = Device token
doctor-area-payload = Payload and headers
doctor-area-network = Network path
doctor-area-token-auth = Provider token
doctor-area-delivery = Delivery
doctor-area-phone = On the phone
doctor-status-passed = passed
doctor-status-failed = failed
doctor-status-warning = warning
doctor-status-skipped = skipped
doctor-status-info = info
doctor-credentials = Saved credentials
doctor-no-credentials = No saved credentials yet.
doctor-does-not-expire = does not expire
doctor-expired = expired
doctor-days-left = { $days ->
        [one] 1 day left
       *[other] { NUMBER($days) } days left
    }
app-credential-expires = { $days ->
        [0] { $name } expires today: renew it before pushes stop
        [one] { $name } expires tomorrow: renew it before pushes stop
       *[other] { $name } expires in { NUMBER($days) } days: renew it before pushes stop
    }
app-credential-expired = { $name } has expired: pushes with it fail at the TLS handshake. Make a new certificate in the developer portal.
app-dismiss = Dismiss
credentials-paired-with-waiting-key = { $name } is paired with the private key kept when its signing request was made: it is ready to use and to export (.p12 or PEM). Export the pair once to keep it safe.
credentials-new-signing-request = New signing request…
credentials-request-heading = New certificate signing request
credentials-request-intro = What Keychain Access makes on a Mac, made here: an RSA 2048 key, kept in pushlab's data folder, and a request to upload to Apple's developer portal. When Apple's .cer comes back, import it: pushlab pairs it with the kept key.
credentials-request-email = Email address
credentials-request-name = Common name
credentials-request-country = Country (two letters)
credentials-request-path = Save the request as
credentials-request-create = Create request
credentials-request-written = Wrote { $path }. { $next }
csr-subject-no-email = Give an email address (Keychain Access asks for yours).
csr-subject-not-an-email = “{ $email }” is not an email address.
csr-subject-no-common-name = Give a common name (Keychain Access uses your name).
csr-subject-name-too-long = The common name is longer than { $limit } characters, the certificate limit.
csr-subject-not-a-country = “{ $code }” is not a two-letter country code (US, DE, CN).
credentials-waiting-heading = Waiting for Apple's certificate
credentials-waiting-none = No signing request is waiting.
credentials-waiting-remove = Remove…
credentials-waiting-remove-warning = Without this key Apple's certificate for the request is useless.
credentials-waiting-remove-confirm = Remove the key
credentials-waiting-keep = Keep it
connection-step-proxy = Proxy connection
connection-step-tunnel = Tunnel through the proxy
connection-proxy = Proxy (optional)
connection-proxy-password = Proxy password
credentials-already-listed = Already in the list: { $files }
credentials-expired-days-ago =
    { $days ->
        [one] expired 1 day ago
       *[other] expired { NUMBER($days) } days ago
    }
credentials-days =
    { $days ->
        [one] 1 day
       *[other] { NUMBER($days) } days
    }
credentials-key-matches = { $key }, matches the certificate
credentials-key-mismatch = { $key }, does NOT match the certificate
credentials-no-key = none
credentials-env-development = Development
credentials-env-production = Production
simulator-running-on = Running on { $addr } ({ $environment })
simulator-badge = Badge { $badge }
simulator-inbox-counts = { NUMBER($delivered) } delivered, { NUMBER($refused) } refused
credentials-reading-file = Reading { $file }…
credentials-wrong-passphrase = Wrong passphrase for { $file }. For a .p12 it is the one chosen when exporting from Keychain; try again.
credentials-protected = { $file } is protected by a passphrase.
credentials-passphrase-for = Passphrase for { $file }
credentials-key-id-value = Key id { $id }
credentials-unknown = unknown
compose-connect-failed = { $error } (the Connection screen's check says step by step what fails)
compose-unconfirmed = Unconfirmed: { $error }. It was not sent again, so the phone never shows it twice; send it again if it did not arrive.
compose-not-sent = Not sent: { $error }
compose-topic-suffix = apns-topic gets "{ $suffix }" after the bundle id for { $type } pushes.
compose-json-error-at = Line { $line }, column { $column }: { $error }
compose-json-error-line = Line { $line }: { $error }
compose-device-left-out = The saved device “{ $name }” is left out: its token is not usable ({ $why }). Save it again with a corrected token.
credentials-issued-new-ca = Issued a test certificate for { $bundle }. The simulator's test CA was created for it; the simulator trusts it.
credentials-test-key-name = Test auth key { $key_id }
credentials-issued-key = Made test auth key { $key_id } (.p8). The simulator trusts it when it is first used; any team id of 10 letters and digits will do.
credentials-test-key-heading = Token-based connections
credentials-test-key-hint = A test auth key (.p8), as Apple hands them out, to rehearse token-based connections (Live Activities need them) against the simulator. Only the simulator accepts it.
credentials-generate-test-key = Generate a test auth key
credentials-issued = Issued a test certificate for { $bundle }.
connection-auth-key-empty = This auth key file holds no key.
connection-type-key-id = Type the key id of the auth key (10 characters, listed under Keys in the developer portal).
batch-token-of-one = The token of { $name } is
batch-tokens-of-some = The tokens of { $names } and { $last } are
batch-tokens-of-many =
    The tokens of { $names } and { $more ->
        [one] 1 more device are
       *[other] { NUMBER($more) } more devices are
    }
connection-no-bundle-id = Type the app's bundle id (it becomes apns-topic): an auth key works for every app of the team, so it does not say which one.
connection-wrong-environment = { $subject } from the { $device }; { $destination } will answer BadDeviceToken.
connection-no-private-key = { $name } has no private key: import the key file too.
batch-add-tokens-first = Add tokens first: paste them, import a file, or pick saved devices.
batch-connect-retrying = Could not connect (retrying): { $error }
simulator-trusted-keys = Trusted auth keys: { $keys }
history-batch-chip = Batch
history-batch-cancelled = cancelled
connection-certificate-n = Certificate { $n }

## Channels (iOS 18 broadcast channels)
channels-heading = Broadcast channels
channels-intro = iOS 18 and iPadOS 18: one push on a channel updates a Live Activity on every device subscribed to it. Channels belong to one app and one environment.
channels-app = App (bundle id)
channels-app-hint = the bundle id, e.g. com.example.scores
channels-storage-policy = Message storage
channels-policy-no-storage = No storage: an offline device misses the update
channels-policy-most-recent = Most recent: the latest push waits for an offline device
channels-create = Create channel
channels-list = List channels
channels-working = Asking APNs…
channels-known = Channels
channels-none-known = No channels yet: create one, or list the app's channels.
channels-use = Use for broadcast
channels-use-hover = Broadcast on { $channel }
channels-read = Read settings
channels-delete = Delete…
channels-confirm-delete = Delete channel { $channel }? It cannot be brought back, and subscribed devices get no more updates on it.
channels-delete-confirmed = Delete channel
channels-keep = Keep it
channels-broadcast-heading = Broadcast
channels-broadcast-intro = A Live Activity update sent once, to every device subscribed to the channel.
channels-channel-id = Channel id
channels-priority = Priority
channels-expiration-zero = apns-expiration: 0 — APNs requires it on a broadcast, and 0 (store nothing) is the one value every channel takes
channels-payload = Live Activity payload
channels-stamp-now = Set its timestamp to now when sending (a device ignores an update older than the one it has)
channels-send-broadcast = Send broadcast
channels-no-connection = Could not connect: { $why }
channels-unconfirmed = Sent, but no answer came: { $why }. It was not sent again; check before sending it once more.
channels-not-sent = Not sent: { $why }
channels-created = Created channel { $channel }: give this id to the app, which subscribes with ActivityKit.
channels-listed = { $count ->
    [one] The app has 1 channel.
   *[other] The app has { $count } channels.
}
channels-read-answer = Settings: { $policy }, push type LiveActivity.
channels-deleted = Deleted channel { $channel }.
channels-done = Done.
channels-unreadable = The server answered { $status }, but its answer does not read: { $why }
channels-refused = Refused: { $status } { $reason }
channels-broadcast-accepted = APNs accepted the broadcast on { $channel } for every subscribed device.
channels-broadcast-subscribers = { $count ->
    [one] 1 device is subscribed to it in the simulator.
   *[other] { $count } devices are subscribed to it in the simulator.
}
channels-simulator-heading = Subscriptions in the simulator
channels-simulator-intro = On a phone the app subscribes through ActivityKit; here you subscribe a simulated device to the channel id above.
channels-device-token = Device token
channels-subscribe = Subscribe device
channels-unsubscribe = Unsubscribe device
channels-subscribers = { $count ->
    [one] 1 device is subscribed to { $channel }.
   *[other] { $count } devices are subscribed to { $channel }.
}
compose-optional = optional
compose-push-to-start-token = Live Activity push-to-start token
compose-activity-token = Live Activity update token
compose-device-live-token = { $kind }: { $token }
compose-device-live-token-unreadable = The saved { $kind } is not a token and is left out (kept in the file): { $why }
compose-edit-device = Edit device
compose-la-heading = Live Activity
compose-la-intro = One activity, step by step: start it (to the app's push-to-start token), update it, end it (to the activity's update token). The timestamp is set when you send.
compose-la-step = Step
compose-la-start = Start
compose-la-update = Update
compose-la-end = End
compose-la-attributes-type = Attributes type
compose-la-attributes = Attributes
compose-la-attribute-name = Attribute { $n } name
compose-la-attribute-value = Attribute { $n } value
compose-la-remove-attribute = Remove attribute { $n }
compose-la-add-attribute = + Add attribute
compose-la-input-push-token = Ask for the activity's own update token (iOS 18: input-push-token)
compose-la-input-push-channel = Follow a channel (iOS 18)
compose-la-input-push-channel-hint = channel id: broadcasts on it update the activity
compose-la-content-state = Content state
compose-la-raw-json = Edit as JSON
compose-la-content-json = Content state (JSON)
compose-la-field-name = Field { $n } name
compose-la-field-value = Field { $n } value
compose-la-remove-field = Remove field { $n }
compose-la-add-field = + Add field
compose-la-name-hint = name
compose-la-value-hint = text, a number, or JSON
compose-la-alert-title = Alert title
compose-la-alert-body = Alert body
compose-la-alert-sound = Alert sound
compose-la-form-below = A Live Activity is written in its own card below: its alert, sound and dates go where iOS reads them.
compose-la-relevance-score = Relevance score
compose-la-relevance-hint = any number: of several activities, the highest shows in the Dynamic Island
compose-la-stale-date = Stale date
compose-la-dismissal-date = Dismissal date
compose-la-dismissal-hint = empty: up to 4 hours after the end; a past date removes it at once
compose-la-timestamp = Timestamp
compose-la-timestamp-now = Set to now when sending
compose-la-bad-number = { $field } must be a number
compose-la-bad-date = { $field } must be whole seconds since 1970
compose-la-raw-not-object = The content state must be a JSON dictionary. { $error }
compose-la-to-push-to-start = Goes to the push-to-start token of { $name }
compose-la-to-activity = Goes to the Live Activity update token of { $name }
simulator-la-heading = Live Activities
simulator-la-state = State: { $state }
simulator-la-active = Active
simulator-la-stale = Stale
simulator-la-ended = Ended
simulator-la-dismissed = Dismissed
simulator-la-started-in-app = started in the app
simulator-la-details = { $kind } · { $pushes ->
    [one] 1 push
   *[other] { $pushes } pushes
} · timestamp { $timestamp } · { $token }
simulator-la-ignored = Ignored { $event } (timestamp { $timestamp }): { $why }
simulator-la-delivery-ignored = The phone ignored this push: { $why }
simulator-la-why-not-newer = older than the last update ({ $last }): a phone ignores it
simulator-la-why-ended = the activity has ended: a phone ignores it
simulator-la-why-unreadable = no valid event or timestamp: a phone ignores it
simulator-la-why-start-on-channel = a broadcast cannot start a Live Activity: a phone ignores it
simulator-la-follows-channel = Its start asked to follow channel { $channel } (input-push-channel): broadcasts on it update this activity when the app has that channel
simulator-la-token-requested = Its start asked for an update token of its own (input-push-token): the app receives one and sends it to its server
simulator-via-channel = Broadcast on channel { $channel } to this device
connection-latency-heading = Latency
connection-latency-intro = Sends the check's probe { $count } times, one after another, on one connection (nothing is delivered), and reports the round trips.
connection-latency-measure = Measure latency
connection-latency-measuring = Measuring…
connection-latency-percentiles = p50 { $p50 } · p95 { $p95 } · p99 { $p99 }
connection-latency-range = { $count } round trips, fastest { $min }, slowest { $max }
## Issue 13: results of the worker's jobs, worded on the UI thread
failure-read-file = could not read the file: { $error } ({ $path })
failure-ca-file-unreadable = could not read the CA file: { $error } ({ $path })
failure-ca-file-no-pem = the CA file holds no PEM certificate ({ $path })
failure-simulator-identity = the simulator's identity could not be prepared: { $error }
failure-simulator-ca = the simulator's CA could not be prepared: { $error }
failure-name-taken = { $path } exists: choose another name
credentials-test-certificate-name = { $bundle } (test, { $environment ->
        [development] development
        [production] production
       *[universal] universal
    })
worker-busy = too many operations are waiting — wait for some to finish and try again
worker-stopped = the background worker has stopped — restart pushlab
worker-lost = the operation stopped unexpectedly
worker-cancelled = cancelled
batch-token-lists = Token lists
batch-history-device = Batch of { NUMBER($count) } { $count ->
        [one] device
       *[other] devices
    }
batch-source-pasted = pasted
batch-invalid-input-at = { $source }, line { $line }: { $reason }
batch-invalid-line = line { $line }: { $reason }
batch-compose-problem = The notification on Compose & Send has a problem: { $error }
batch-no-status = none
credentials-key-id-not-in-file-name = not in the file name
simulator-ca-write-failed = could not write the CA: { $error }
simulator-key-with-team = { $key } (team { $team })

## Issue 13: device token errors (the library's TokenError)
token-error-empty = the device token is empty — paste the token your app logged
token-error-description-form = this is the iOS 13+ `{"{"}length = …, bytes = 0x…{"}"}` description, which is cut short with "..." — log the token as hex in the app instead (map each byte to %02x)
token-error-not-hex = '{ $found }' at position { $position } is not a hex digit — a device token is hex (0-9, a-f)
token-error-odd-length = the token has { $digits } hex digits, an odd number — one digit is missing or extra
token-error-too-short = the token is { $bytes } bytes long; device tokens are at least { $min } (usually 32) — it looks cut short
token-error-too-long = the token is { $bytes } bytes long, more than { $max } — two tokens may have been pasted together

## Issue 13: the library's payload checks (apns::PayloadIssue, worded in gui/i18n/library.rs)
payload-empty = the payload is empty — APNs answers PayloadEmpty
payload-too-large = the payload is { NUMBER($size) } bytes, over the { NUMBER($limit) }-byte limit for { $type } pushes by { NUMBER($over) } — APNs answers 413 PayloadTooLarge
payload-broadcast-too-large = the payload is { NUMBER($size) } bytes, over the { NUMBER($limit) }-byte limit for broadcasts by { NUMBER($over) } — APNs answers 413 PayloadTooLarge
payload-broadcast-start = a broadcast cannot start a Live Activity: "event": "start" goes to a push-to-start token as a device push; a channel carries "update" and "end" only
channel-bundle-push-type-suffix = { $bundle } ends in the push-type suffix { $suffix }: channel requests and broadcasts name the app by its plain bundle id, { $plain } — APNs answers TopicDisallowed
channel-bad-path-manage = channel management has its own hosts, { $sandbox } (sandbox) and { $production } (production); a push host answers 404 BadPath to it — send the request there
channel-bad-path-broadcast = broadcasts go to the push hosts, { $sandbox } and { $production } (port 443 or 2197), at /4/broadcasts/apps/<bundle id>; a channel management host answers 404 BadPath to them
channel-topic-disallowed = channel requests name the app by its plain bundle id, with no push-type suffix such as .push-type.liveactivity
payload-invalid-json = not valid JSON: { $error }
payload-not-an-object = the payload must be a JSON object such as {"{"}"aps":{"{"}…{"}"}{"}"}
payload-aps-not-object = "aps" must be a dictionary
payload-no-aps = there is no "aps" dictionary: iOS shows nothing (fine only for data the app reads itself)
payload-background-priority = background pushes must use priority 5; priority 10 is an error
payload-background-visible = a background push carries { $keys }: use push type alert for anything the user sees
payload-background-without-content-available = a background push needs "content-available": 1 to wake the app
payload-content-available-with-alert = "content-available": 1 together with a visible alert: silent pushes should carry no alert, badge or sound
payload-alert-shows-nothing = an alert push with no alert, badge or sound shows nothing
payload-custom-keys-in-aps = { $keys } inside "aps" will be ignored by APNs — put custom keys beside "aps"
payload-interruption-level = interruption-level "{ $level }" is not passive, active, time-sensitive or critical
payload-relevance-score = relevance-score should be between 0 and 1
payload-badge = "badge" must be a whole number (0 clears it)
payload-live-event-missing = a Live Activity push needs "event": "start", "update" or "end"
payload-live-event = "event" is { $value }: it must be "start", "update" or "end"
payload-live-timestamp-missing = a Live Activity push needs "timestamp" (seconds since 1970): iOS keeps the newest and ignores older ones
payload-live-dismissal-not-end = "dismissal-date" only counts with "event": "end": it says when the ended activity leaves the Lock Screen
payload-live-content-state-missing = "content-state" is missing: iOS decodes it into the activity's ContentState, so a start or update needs it
payload-live-content-state = "content-state" must be a dictionary matching the activity's ContentState
payload-live-attributes-type = a start needs "attributes-type": the name of the app's ActivityAttributes struct, as a string
payload-live-attributes = a start needs "attributes": a dictionary with the ActivityAttributes' fields
payload-live-start-alert = a start without "alert" starts silently; Apple asks for an alert so the person notices the new activity
payload-live-sound-beside-alert = a Live Activity's sound goes in "alert" ("alert": {"{"}"sound": "chime.aiff"{"}"}), as in Apple's Live Activity payloads; "sound" beside it is not part of the activity's alert
payload-live-input-push-token = "input-push-token" must be 1 (ask the started activity for its update token)
payload-live-input-push-token-event = "input-push-token" goes with "event": "start" only
payload-live-input-push-channel = "input-push-channel" is a channel id (a string) and goes with "event": "start" only (iOS 18 broadcast)
payload-live-relevance-score = "relevance-score" must be a number, 0 or more: the highest is shown in the Dynamic Island
payload-live-alert = the alert's "{ $key }" must be a string or a localisation dictionary with "loc-key" (and "loc-args")
payload-live-priority = priority 10 updates are budgeted by iOS: past the budget they are throttled. Send frequent updates with priority 5, and 10 only for what the person must see now
payload-live-milliseconds = "{ $key }" is { $value }, milliseconds: it must be seconds since 1970 ({ $seconds }), or iOS treats the update as stale
payload-live-date = { $problem ->
        [negative] "{ $key }" is negative: it must be seconds since 1970
       *[other] "{ $key }" must be a whole number of seconds since 1970
    }

## Issue 13: what a certificate or key file's inspection found (cert::Finding, worded in gui/i18n/library.rs)
cert-no-private-key = { $file ->
        [p12] the .p12 holds only the certificate, not its private key — in Keychain Access, expand the certificate and export it together with its key
       *[other] no private key — sending needs the key too: pair this certificate with the .p12 or key file exported from Keychain
    }
cert-key-mismatch = the private key does not belong to this certificate — export the key that was created with this certificate's signing request
cert-key-only = a private key without its certificate — pair it with the .cer from the Apple developer portal
cert-legacy-p12 = legacy encryption ({ $detail }), as macOS Keychain exports: OpenSSL 3 opens it only with `-legacy`; pushlab handles it
cert-no-key-id = the key id is not in the file name (Apple names it AuthKey_<KEYID>.p8) — type it in; it is listed under Keys in the developer portal
cert-expired = expired on { $date } ({ NUMBER($days) } { $days ->
        [one] day
       *[other] days
    } ago) — create a new push certificate in the Apple developer portal
cert-not-yet-valid = not valid until { $date } — check this computer's clock, or wait
cert-expires-soon = expires on { $date } (in { NUMBER($days) } { $days ->
        [one] day
       *[other] days
    }) — renew it before pushes stop
cert-not-apns = not an Apple Push Notification certificate (it has neither Apple push extension) — download the push certificate for your App ID from the Apple developer portal
cert-development-only = development certificate: it works only with the sandbox (apps run from Xcode); TestFlight and App Store builds need a production or "Sandbox & Production" certificate

## Issue 13: the doctor's checklist, evidence and fixes (doctor::Check, doctor::Evidence, doctor::Remedy, doctor::VerdictSentence)
words-separator = {"; "}
doctor-check-credential-readable = Credential readable
doctor-check-private-key-matches = Private key matches
doctor-check-certificate-valid-today = Certificate valid today
doctor-check-apns-certificate = An APNs certificate
doctor-check-certificate-environment = Certificate fits the environment
doctor-check-topic-in-certificate = Topic covered by the certificate
doctor-check-auth-key-usable = Auth key usable
doctor-check-key-id-well-formed = Key id well formed
doctor-check-team-id-well-formed = Team id well formed
doctor-check-topic-given = Topic given
doctor-check-key-scope = Key scope
doctor-check-token-well-formed = Device token well formed
doctor-check-token-environment = Token from the environment pushes go to
doctor-check-payload-accepted = Payload accepted by APNs
doctor-check-payload-on-ios = Payload as iOS will treat it
doctor-check-topic-suffix = Topic carries the push type's suffix
doctor-check-background-throttled = Background pushes are throttled
doctor-check-tried-once = Tried once
doctor-check-pushes-replace-each-other = Pushes replace each other
doctor-check-notification-settings = Notification settings and Focus
doctor-check-network-path = Network path
doctor-check-name-lookup = Name lookup
doctor-check-tcp-connection = TCP connection
doctor-check-reaching-proxy = Reaching the proxy
doctor-check-proxy-tunnel = The proxy's tunnel to the server
doctor-check-tls = TLS handshake and server certificate
doctor-check-http2 = HTTP/2 and its settings
doctor-check-credential-accepted = Credential accepted by the server
doctor-check-proxy = Proxy
doctor-check-proxy-settings = Proxy settings
doctor-check-other-port = Apple's other port
doctor-check-provider-token-fresh = Provider token fresh
doctor-check-test-push = Test push accepted by APNs
doctor-check-clock = Clock agrees with the server
doctor-verdict-cause = Most likely cause: { $evidence }
doctor-verdict-delivered = APNs accepted the push ({ $evidence }). If the phone does not show it, the cause is on the phone: see "On the phone" below.
doctor-verdict-none-found = No problem found in what could be checked; give a device token to send a test push, which settles it.
doctor-verdict-none-found-no-credential = No problem found in what could be checked without a credential; choose a certificate or an auth key to check the server and send a test push, which settles it.
doctor-verdict-none-found-not-sent = No problem found in what could be checked; the test push was not sent: send it to settle it.
doctor-evidence-credential-missing = no certificate or auth key given
doctor-evidence-credential-unreadable = the credential could not be read: { $error }
doctor-evidence-certificate-unreadable = the certificate could not be read: { $error }
doctor-evidence-credential-readable = { $name } ({ $environment ->
        [development] development (sandbox only)
        [production] production only
        [universal] sandbox & production
       *[none] not an APNs certificate
    }), { NUMBER($days) } { $days ->
        [one] day
       *[other] days
    } left
doctor-evidence-certificate-key = the private key is the certificate's
doctor-evidence-certificate-key-mismatch = the private key does not belong to this certificate
doctor-evidence-certificate-key-missing = there is no private key with the certificate
doctor-evidence-certificate-environment-ok = a { $certificate ->
        [development] development (sandbox only)
        [production] production only
        [universal] sandbox & production
       *[none] not an APNs certificate
    } certificate works with { $environment ->
        [sandbox] sandbox
       *[production] production
    }
doctor-evidence-certificate-environment = this is a { $certificate ->
        [development] development (sandbox only)
        [production] production only
        [universal] sandbox & production
       *[none] not an APNs certificate
    } certificate and pushes go to { $environment ->
        [sandbox] sandbox
       *[production] production
    }: APNs answers BadCertificateEnvironment
doctor-evidence-topic-in-certificate = { $topic } is covered ({ $topics })
doctor-evidence-topic-not-in-certificate = the topic { $topic } is not among the certificate's topics ({ $topics }): APNs answers BadTopic or DeviceTokenNotForTopic
doctor-evidence-auth-key-readable = EC P-256 key { $key }, signs ES256 provider tokens
doctor-evidence-auth-key-curve = the key is { $curve }, and APNs accepts only ES256 (EC P-256) tokens
doctor-evidence-auth-key-id = the key id '{ $key }' is not 10 letters and digits
doctor-evidence-auth-key-team-id-ok = team { $team }
doctor-evidence-auth-key-team-id = the team id '{ $team }' is not 10 letters and digits: APNs answers InvalidProviderToken
doctor-evidence-topic-missing = an auth key covers every app of the team, so APNs needs the topic: none was given (MissingTopic)
doctor-evidence-auth-key-scope = since February 2025 a key can be limited to one environment (team-scoped) or to some bundle ids (topic-specific): APNs then answers BadEnvironmentKeyIdInToken or TopicDisallowed; the server's answer below shows which
doctor-evidence-token-missing = no device token given: no test push is sent
doctor-evidence-token-ok = { NUMBER($bytes) }-byte token
doctor-evidence-token-tidied = { NUMBER($bytes) }-byte token, tidied from what was pasted (brackets, spaces, case)
doctor-evidence-token-environment-ok = an app { $build ->
        [xcode] run from Xcode
       *[testflight] from TestFlight or the App Store
    } has { $tokens ->
        [sandbox] sandbox
       *[production] production
    } tokens, and pushes go to { $environment ->
        [sandbox] sandbox
       *[production] production
    }
doctor-evidence-token-environment = an app { $build ->
        [xcode] run from Xcode
       *[testflight] from TestFlight or the App Store
    } has { $tokens ->
        [sandbox] sandbox
       *[production] production
    } tokens, but pushes go to { $environment ->
        [sandbox] sandbox
       *[production] production
    }: APNs answers BadDeviceToken
doctor-evidence-payload-errors = { $errors }
doctor-evidence-payload-ok = { NUMBER($size) } of { NUMBER($limit) } bytes for push type { $type }
doctor-evidence-topic-suffix = { $topic } ends with { $suffix }
doctor-evidence-background-throttled = iOS delivers background (content-available) pushes at its discretion: Apple suggests no more than two or three an hour, none while Low Power Mode is on, and none after the user force-quits the app
doctor-evidence-expiration-zero = apns-expiration 0: if the phone is offline when APNs tries, the push is dropped, not stored
doctor-evidence-collapse-id = collapse id '{ $id }': a newer push with the same id replaces this one on the phone
doctor-evidence-phone-settings = an accepted alert still shows only if the app's notifications are allowed (Settings → Notifications), no Focus mode silences it, and the app in the foreground shows it itself
doctor-evidence-network-skipped = not checked: the server needs a readable credential
doctor-evidence-server-refused = the server refused the credential with { $reason }: { $meaning }
doctor-evidence-server-confirms = { $first }; the server confirms: { $then }
doctor-evidence-proxy-in-use = connecting through the proxy { $proxy }; it resolves { $host } itself
doctor-evidence-proxy-variables = { $variables } is set, but pushlab connects to { $host } directly (the host is in NO_PROXY, or no proxy is used): where only the proxy may reach the internet, the TCP step fails
doctor-evidence-alternate-port = TCP to { $host }:{ $port } works too
doctor-evidence-alternate-port-blocked = TCP to { $host }:{ $port } fails ({ $error }): a firewall allows one port only
doctor-evidence-provider-token = made { NUMBER($age) } s ago; pushlab reuses a token for { NUMBER($minutes) } minutes and makes a new one before 60 (APNs refuses tokens older than an hour, and new ones more often than every 20 minutes)
doctor-evidence-provider-token-unsigned = could not sign a provider token: { $error }
doctor-evidence-no-answer = the test push got no answer: { $error }
doctor-evidence-delivered = 200 from { $server }, apns-id { $id }
doctor-evidence-apns-answered = APNs answered { $answer }: { $meaning }
doctor-evidence-server-answered = the server answered { $answer }
doctor-evidence-other-environment-not-asked = { $first } (the token may belong to the other environment: allow one probe there to find out)
doctor-evidence-token-of-other-environment = this is a { $there ->
        [sandbox] sandbox
       *[production] production
    } token: { $here ->
        [sandbox] sandbox
       *[production] production
    } answered BadDeviceToken and { $there ->
        [sandbox] sandbox
       *[production] production
    } accepted the same push; { $there ->
        [sandbox] the app was run from Xcode
       *[production] the app came from TestFlight or the App Store
    }
doctor-evidence-token-in-neither = both environments answered BadDeviceToken: the token is not valid in either (cut short, from another app, or made up)
doctor-evidence-other-environment-answered = { $first }; { $there ->
        [sandbox] sandbox
       *[production] production
    } answered { $answer } to the same push
doctor-evidence-other-environment-unreachable = { $first }; { $there ->
        [sandbox] sandbox
       *[production] production
    } could not be asked ({ $error })
doctor-evidence-clock-ok = this computer's clock is within a minute of the server's (its date header)
doctor-evidence-clock = this computer's clock is { $minutes ->
        [one] 1 minute
       *[other] { NUMBER($minutes) } minutes
    } { $direction ->
        [ahead] ahead of
       *[behind] behind
    } the server's (its date header)
doctor-evidence-clock-refuses-tokens = this computer's clock is { $minutes ->
        [one] 1 minute
       *[other] { NUMBER($minutes) } minutes
    } { $direction ->
        [ahead] ahead of
       *[behind] behind
    } the server's (its date header): provider tokens carry this clock's time, and APNs refuses them (ExpiredProviderToken or InvalidProviderToken)
doctor-remedy-export-again = export the certificate with its private key again (a .p12 from Keychain Access), and check the passphrase
doctor-remedy-export-with-key = export the certificate together with its private key from Keychain Access (as .p12), or give the key made with the certificate request
doctor-remedy-new-certificate = create a new Apple Push Notification service certificate for the App ID in the developer portal (or switch to a .p8 auth key, which does not expire)
doctor-remedy-push-certificate = download the push certificate (Apple Push Notification service SSL) for your App ID, not a development or distribution signing certificate
doctor-remedy-production-certificate = for production (TestFlight, App Store) use a production or "Sandbox & Production" certificate
doctor-remedy-sandbox-certificate = for the sandbox (apps run from Xcode) use a development or "Sandbox & Production" certificate
doctor-remedy-certificate-for-bundle = use the certificate made for this app's bundle id, or check the bundle id (with the push type's suffix, e.g. .voip)
doctor-remedy-download-p8 = download the .p8 key from the developer portal's Keys page (it is EC P-256)
doctor-remedy-key-id-from-portal = use the key id shown beside the key in the developer portal (also in the file name AuthKey_<KEYID>.p8)
doctor-remedy-team-id-from-portal = copy the team id from the Membership page of the developer portal
doctor-remedy-give-bundle-id = give the app's bundle id
doctor-remedy-log-token-as-hex = log the token as hex in the app: token.map {"{"} String(format: "%02x", $0) {"}"}.joined()
doctor-remedy-copy-whole-token = copy the whole token again, exactly as the app logged it
doctor-remedy-paste-hex-token = paste the hex token the app logged in didRegisterForRemoteNotificationsWithDeviceToken
doctor-remedy-send-to-token-environment = send to { $tokens ->
        [sandbox] sandbox
       *[production] production
    }, or install a build whose tokens belong to { $environment ->
        [sandbox] sandbox
       *[production] production
    }
doctor-remedy-smaller-payload = make the payload smaller: move data out of it and fetch it when the app opens
doctor-remedy-background-priority = send background pushes with apns-priority 5
doctor-remedy-fix-payload = fix the payload JSON as described
doctor-remedy-step = { $fix }
doctor-remedy-use-proxy = use the proxy for this host (remove it from NO_PROXY), or allow direct outgoing connections to Apple's 17.0.0.0/8 on 443 or 2197
doctor-remedy-check-p8 = check the .p8 key
doctor-remedy-run-again = run the doctor again; if it persists, check the network path above
doctor-remedy-copy-token-again = copy the token again from the app's log
doctor-remedy-set-clock = set this computer's clock automatically (NTP), then make a new provider token

## Issue 13: where pushes go, as History records it (client::Target's label)
destination-apple = Apple { $environment } ({ $host }:{ $port })
destination-apple-channels = Apple { $environment } channel management ({ $host }:{ $port })
destination-simulator = local simulator ({ $environment }, { $addr })
destination-custom = { $host }:{ $port }

## Issue 14: auth keys limited in scope (doctor/scope.rs)
doctor-evidence-key-other-environment = the auth key { $key } is limited to the other environment (a team-scoped key) and pushes go to { $environment ->
        [sandbox] sandbox
        [production] production
       *[other] this server
    }: APNs answered BadEnvironmentKeyIdInToken
doctor-evidence-key-other-topics = the auth key { $key } is topic-specific and { $topic } is not one of its topics: APNs answered TopicDisallowed
doctor-remedy-key-for-environment = use a key made for this environment (the developer portal's Keys page shows each key's environment), or a key for both environments
doctor-remedy-key-for-topic = add { $bundle } to the key's topics in the developer portal's Keys page, or use a key for the whole team

## Issue 13: the connection check's steps (client::StepSentence, StepFix, ConnectError, ProxyError)
check-not-run = not run: an earlier step failed
check-dns-address = { $host } is an address; no lookup needed
check-dns-resolved = { $host } → { $addresses }
check-tcp-connected = connected to { $peer }
check-proxy-resolved = the proxy { $proxy } is at { $addresses }
check-proxy-address = the proxy { $proxy } is an address; no lookup needed
check-proxy-resolves-the-server = { $found }; { $host } is resolved by the proxy
check-proxy-reached = connected to the proxy { $proxy } at { $peer }
check-proxy-tunnel-http = the proxy opened a tunnel to { $target } ({ $status } { $reason })
check-proxy-tunnel-socks5 = the SOCKS5 proxy opened a tunnel to { $target }
check-proxy-tunnel-socks5-resolved = the SOCKS5 proxy opened a tunnel to { $target } (it resolved the name)
check-tls-verified = { $version } { $cipher }, ALPN { $alpn }, server certificate verified: { $subject }{ $root ->
        [none] {""}
        [usertrust] {" "}(issued under { $issuer } — the root Apple's APNs servers use since 2025)
        [geotrust] {" "}(issued under { $issuer } — the root Apple's APNs servers used before 2025)
       *[other] {" "}(issued under { $issuer })
    }
check-tls-done = TLS handshake done
check-http2-streams = HTTP/2 ready; the server allows { NUMBER($streams) } concurrent streams
check-http2-no-limit = HTTP/2 ready; the server set no stream limit
check-probe-failed = no answer to the authenticated request: { $error }
check-auth-ok = the server accepted the connection and the credential (it rejected only the deliberately invalid token)
check-refused = { $status } { $reason }: { $meaning }
check-topic-refused = the credential was accepted but the topic was refused: { $status } { $reason }: { $meaning }
check-unexpected-reason = unexpected answer { $status } { $reason }: { $meaning }
check-accepts-invalid-token = the server accepted a push to an invalid token — it does not validate like APNs
check-unexpected-answer = unexpected answer { $status } { $reason }
check-fix-dns = check the host name and DNS; behind a proxy, give it under "Proxy" on the Connection screen: the proxy then resolves the name
check-fix-refused = start the server (for the simulator: on the Simulator screen), or check the port
check-fix-timeout = a firewall may block the port: allow outgoing 443 or 2197 to Apple's 17.0.0.0/8
check-fix-no-http2 = this is not an HTTP/2 APNs server; the legacy binary gateway (port 2195) needs `pushlab legacy-send`
check-fix-retry = try again; if it persists, check the server
check-fix-certificate-rejected = with TLS 1.3 a server that rejects the client certificate says so only now: check the certificate is an APNs certificate for this server's environment, issued by a CA it trusts
check-fix-not-apns = check the server is an APNs server
check-error-dns = could not resolve { $host }: { $message } — check the host name and this computer's DNS
check-error-refused = connection to { $addr } refused — nothing listens there (for the simulator: start it on the Simulator screen, or choose "Local simulator")
check-error-tcp-timeout = no answer from { $addr } within { NUMBER($secs) } s — a firewall may block the port (APNs also answers on 2197)
check-error-tcp = could not connect to { $addr }: { $message }
check-error-untrusted = the server's certificate is not trusted ({ $reason }) — { $hint }
check-error-tls-refused = the server refused the TLS handshake ({ $message }) — { $hint }
check-error-tls = TLS handshake failed: { $message }
check-error-no-http2 = the server did not agree to HTTP/2 (ALPN gave { $alpn }) — is this an APNs server?
check-error-http2 = HTTP/2 set-up failed: { $message }
check-error-timeout = { $stage ->
        [dns] looking up the host name (DNS)
        [tls] the TLS handshake
        [http2] the HTTP/2 set-up
       *[other] a step
    } took longer than { NUMBER($secs) } s
check-error-credential = the credential cannot be used: { $message }
check-hint-update-roots = if the server is Apple's, update this system's CA certificates (Apple moved to the USERTrust RSA root in 2025); for the simulator or a proxy, choose "Custom host" and give its CA file
check-hint-pass-ca = give the server's CA file under "Custom host" (the simulator's: Export CA… on the Simulator screen)
check-hint-certificate-rejected = the server rejected the client certificate: check it is an APNs certificate for this environment and not revoked
check-hint-needs-certificate = the server may require a client certificate
check-hint-not-apns = check the host and port are an APNs server
check-hint-tls13-rejected = with TLS 1.3 this is how a server rejects a client certificate: check it is an APNs certificate issued by a CA the server trusts (for the simulator: generate a test certificate on the Connection screen)
check-fix-goaway = the server sent GOAWAY: it is shutting down or restarting the connection, which says nothing about the credential; run the check again
check-fix-http2-error = the server ended the request with an HTTP/2 error (above), not a verdict on the credential; run the check again, and if it persists check the server
check-fix-renew-certificate = renew the certificate: make a new push certificate in Apple's developer portal and import it on the Credentials screen
check-fix-certificate-dates = check this computer's clock, or wait until the certificate's start date
check-error-certificate-refused = the server refused the client certificate: TLS alert { $alert } ({ $name }) — { $hint }
check-error-certificate-refused-after-handshake = the server refused the client certificate after the TLS handshake (TLS 1.3 says so with the first data): TLS alert { $alert } ({ $name }) — { $hint }
check-error-certificate-expired = the client certificate expired on { $date } ({ $days ->
        [one] 1 day
       *[other] { NUMBER($days) } days
    } ago), so the server refused it: { $server } — renew it: make a new push certificate in Apple's developer portal and import it on the Credentials screen
check-error-certificate-not-yet-valid = the client certificate is not valid until { $date } (in { $days ->
        [one] 1 day
       *[other] { NUMBER($days) } days
    }), so the server refused it: { $server } — check this computer's clock, or wait until then
check-error-goaway = the server ended the connection with GOAWAY { $reason } before the first request ({ $detail }) — it is shutting down or restarting, not refusing the credential: connect again
check-error-closed-after-tls = the server closed the connection right after the TLS handshake ({ $message }) — { $hint }
check-server-refused-certificate = the server refused the client certificate: TLS alert { $alert } ({ $name })
check-server-refused-certificate-after-handshake = the server refused the client certificate after the TLS handshake: TLS alert { $alert } ({ $name })
check-server-refused-tls = the server refused the TLS handshake ({ $message })
check-server-closed-after-tls = the server closed the connection right after the TLS handshake ({ $message })
check-hint-alert-expired = the server says the client certificate expired: make a new one in Apple's developer portal and import it on the Credentials screen
check-hint-alert-revoked = the client certificate was revoked: make a new one in Apple's developer portal and import it on the Credentials screen
check-hint-alert-unknown-ca = the server does not trust the CA that issued the client certificate: choose a certificate Apple issued for APNs (for the simulator: generate a test certificate on the Connection screen)
check-hint-alert-bad-certificate = the server cannot use the client certificate: check it is an APNs push certificate with its own private key
check-hint-alert-required = the server requires a client certificate: choose one on the Connection screen
check-proxy-dns = could not resolve the proxy's host { $proxy }: { $message }
check-proxy-refused = the proxy { $proxy } is unreachable: it refused the connection ({ $addr }), so no proxy listens there
check-proxy-unreachable = the proxy { $proxy } is unreachable: { $message }
check-proxy-timeout = no answer from the proxy { $proxy } within { NUMBER($secs) } s while { $stage } (timed out)
check-proxy-closed = the proxy { $proxy } closed the connection while { $stage }, without an answer
check-proxy-auth-required = the proxy { $proxy } answered { $status }: { $sent ->
        [yes] it rejected the user name and password
       *[no] it needs a user name and password
    }{ $wants ->
        [basic] {""}
       *[other] {" "}(it asks for { $wants } authentication; pushlab speaks Basic only)
    }
check-proxy-forbidden = the proxy { $proxy } answered 403 Forbidden: it does not allow tunnels to { $target }
check-proxy-status = the proxy { $proxy } answered { $status } to CONNECT { $target }: { $meaning }
check-proxy-not-http = the proxy { $proxy } did not answer as an HTTP proxy ({ $what })
check-proxy-not-socks = the proxy { $proxy } did not answer as a SOCKS5 proxy ({ $what })
check-proxy-socks-method-rejected = the SOCKS proxy { $proxy } rejected the authentication methods offered ({ $offered })
check-proxy-socks-auth-failed = the SOCKS proxy { $proxy } rejected the user name and password
check-proxy-socks-refused = the SOCKS proxy { $proxy } refused to connect to { $target }: { $meaning } (SOCKS reply { $code })
check-proxy-invalid = cannot ask the proxy { $proxy } for a tunnel: { $message }
check-proxy-io = lost the connection to the proxy { $proxy }: { $message }
check-proxy-fix-dns = check the proxy's host name in the Proxy field, and this computer's DNS
check-proxy-fix-address = check the proxy's address and port in the Proxy field and that it is running; an empty Proxy field connects directly
check-proxy-fix-timeout = the proxy or a firewall in front of it swallows the connection: check the proxy's address and port, and that it is an HTTP or SOCKS5 proxy as the URL says
check-proxy-fix-scheme = check the URL's scheme matches the proxy (http:// or socks5://) and look at the proxy's log
check-proxy-fix-give-credentials = give the proxy's user name as http://USER@HOST:PORT in the Proxy field and the password below it
check-proxy-fix-check-credentials = check the proxy user name and password (characters such as @ : / must be %-encoded in the URL)
check-proxy-fix-forbidden = ask the proxy's administrators to allow CONNECT to Apple's hosts on port 443, or try port 2197, which APNs also answers on
check-proxy-fix-status = the proxy could not open the tunnel: check the target host and port, and the proxy's log
check-proxy-fix-not-http = this does not look like an HTTP proxy: if it is a SOCKS proxy, write socks5://HOST:PORT
check-proxy-fix-not-socks = this does not look like a SOCKS5 proxy: if it is an HTTP proxy, write http://HOST:PORT
check-proxy-fix-socks-method = the proxy wants another kind of authentication: give a user name and password (socks5://USER@HOST:PORT and the password below it), or check the proxy's configuration
check-proxy-fix-socks-rules = the proxy's rules forbid this host or port: ask for Apple's hosts on 443 to be allowed, or try port 2197
check-proxy-fix-socks-unreachable = the proxy cannot reach (or resolve) the host: check the host name, and the proxy's own network and DNS
check-proxy-fix-socks-nothing-listens = nothing listens at the target host and port, as seen from the proxy: check the port (443 or 2197 for APNs)
check-proxy-fix-socks-other = the proxy could not open the tunnel: look at the proxy's log
check-proxy-fix-invalid = shorten the host name or the proxy credentials (SOCKS5 allows 255 bytes each)

## Issue 13: why a credential file could not be read or written (cert::CertError)
cert-error-not-found = { $path }: no such file — check the path
cert-error-is-directory = { $path } is a directory — pick the certificate or key file inside it
cert-error-not-a-file = { $path } is not a regular file (a pipe, a device or a socket) — save the credential to a file and give that
cert-error-io = { $path }: could not be read ({ $error })
cert-error-empty = { $name } is empty (0 bytes) — download or export it again
cert-error-too-large = { $name } is { NUMBER($size) } bytes, far larger than any certificate or key (a few KB): it is not a credential file
cert-error-unrecognised = { $name } is not a certificate, private key or PKCS#12 file — expected a .cer/.der (DER), .pem, .p12/.pfx or .p8
cert-error-corrupt-p12 = { $name } looks like a PKCS#12 (.p12) file but is truncated or corrupt — export it from Keychain again
cert-error-corrupt-certificate = { $name } looks like a DER certificate but is truncated or corrupt — download the .cer again
cert-error-corrupt-pem = { $name }: the PEM block "{ $label }" is damaged ({ $detail }) — the file may have been cut or edited
cert-error-passphrase-required = { $name } is protected by a passphrase — type it (for a .p12, the one chosen when exporting from Keychain)
cert-error-wrong-passphrase = wrong passphrase for { $name } — for a .p12 it is the one chosen when exporting from Keychain; for an encrypted key, the PEM pass phrase
cert-error-passphrase-has-nul = the passphrase for { $name } contains a NUL character, which no .p12 passphrase can hold — type it again without it
cert-error-legacy-provider-missing = { $name } uses legacy encryption (RC2-40/3DES, as macOS Keychain exports) and OpenSSL's legacy provider could not be loaded ({ $detail }). Install the OpenSSL 3 legacy module (Debian/Ubuntu: libssl3 ships ossl-modules/legacy.so) or point OPENSSL_MODULES at its folder
cert-error-no-certificate = { $name } holds no certificate{ $hint }
cert-error-no-private-key = { $name } holds no private key — import the key too (for example the .p12 exported from Keychain)
cert-error-not-an-auth-key = { $name } { $found ->
        [none] holds no private key
        [certificates] holds certificates besides its EC P-256 key
       *[other] holds a { $kind } key
    }, but an APNs auth key (.p8) is one EC P-256 key alone — download the key again from the Apple developer portal (Keys)
cert-error-key-mismatch = the private key in { $key } does not belong to the certificate in { $cert } — pick the key exported with this certificate
cert-error-already-exists = { $path } exists: choose another name
cert-error-openssl = OpenSSL failed while { $action }: { $detail }

## Why an output file was not written (files::FileError)
file-error-exists = A file exists there: choose another name or allow replacing it ({ $path })
file-error-same-as-input = The output is also an input ({ $input }): write it to another file ({ $path })
file-error-is-directory = That is a folder: name a file inside it ({ $path })
file-error-io = Could not write the file ({ $error }): { $path }

## Why a push has no answer (client::SendError)
send-error-not-processed = not processed by the server ({ $detail }); safe to send again
send-error-no-answer = sent, but no answer came ({ $detail }); the server may have processed it
send-error-timeout = sent, but no answer within { $secs } s; the server may have processed it
send-error-token = could not make the provider token: { $detail }
send-error-request = could not build the request: { $detail }
channel-id-error-empty = the channel id is empty
channel-id-error-too-long = the channel id is longer than { $max } bytes
channel-id-error-not-base64 = '{ $text }' is not a channel id: channel ids are base64 text, as APNs returned it in apns-channel-id when the channel was created (e.g. dHN0LXNyY2gtY2hubA==)
header-error-priority = the priority is 10 (now), 5 (power-friendly) or 1 (lowest), not { $priority }
header-error-expiration = the expiration '{ $text }' is not a Unix time, 0 (now or never) or +SECONDS
header-error-collapse-id-too-long = the collapse id is { $bytes } bytes; APNs allows { $max }
header-error-apns-id = the apns-id '{ $text }' is not a UUID like 123e4567-e89b-12d3-a456-4266554400a0 (or leave it out)
header-error-bundle-id = '{ $text }' is not a bundle id: { $why ->
        [empty] it is empty
        [too-long] it is longer than 155 characters
        [space] it has a space
        [character] only letters, digits, '-' and '.' are allowed
       *[empty-part] it has an empty part (two dots, or a dot at an end)
    }
cert-environment-label = { $certificate ->
        [development] development (sandbox only)
        [production] production only
        [universal] sandbox & production
       *[none] not an APNs certificate
    }
apns-environment-label = { $environment ->
        [sandbox] sandbox
       *[production] production
    }
result-error-turned-away = the server turned it away { $times } times without processing it ({ $detail })
result-error-refused = the server refused it { $times } times without processing it ({ $detail })
result-error-stopped-in-flight = the batch was stopped at once, before the answer came: it may have reached APNs
result-error-sent-by-interrupted-run = sent by the interrupted run, which ended before its answer was recorded: it may have reached APNs, so it was not sent again
batch-stop-cancelled = the batch was cancelled first
batch-stop-deadline = the batch ran out of time (its deadline) first
batch-stop-no-connection = could not connect: { $detail }
batch-stop-journal = the batch's journal could not be written: { $detail }
batch-stop-refused = the server refused { $count } streams in a row without answering any push (REFUSED_STREAM): it is not taking pushes

## Results that remember their route; credentials told apart; warnings before sending
result-stale = Made with { $credential }. The destination, credential, bundle id or push has changed since: run it again.
result-was-the-start = This is the answer to the start you sent. Compose now holds the update that follows: it goes when you press Send.
batch-result-stale = Sent with { $credential }. The recipients, the push, the destination, the credential or the bundle id have changed since: send it again to know how these would go.
route-warning-expired = The certificate expired { NUMBER($days) } days ago: the TLS handshake will fail. Renew it in the developer portal.
route-warning-not-yet-valid = The certificate is valid only in { NUMBER($days) } days: the TLS handshake will fail. Check the computer's clock.
route-warning-development-certificate = This is a development (sandbox) certificate and pushes go to production: APNs will answer BadCertificateEnvironment.
route-warning-production-certificate = This is a production certificate and pushes go to the sandbox: APNs will answer BadCertificateEnvironment.
route-warning-topic = The topic { $topic } is not among the certificate's topics ({ $topics }): APNs will answer BadTopic. Clear the bundle id to use the certificate's.
route-warning-needs-token = Apple accepts { $push_type } pushes only over a token-based connection (an auth key, .p8), not a certificate: choose an auth key as the credential.
connection-key-id-length = A key id has 10 letters and digits; this one has { NUMBER($count) } characters.
connection-team-id-length = A team id has 10 letters and digits; this one has { NUMBER($count) } characters.
credentials-same-certificate = The same certificate as { $name }
credentials-already-imported = { $name } holds the same certificate as { $other }, already in the list.
batch-pasted-lines = { NUMBER($count) } lines pasted: too many to edit here.
batch-show-pasted = Show the list
batch-hide-pasted = Hide the list
batch-clear-pasted = Clear pasted tokens
batch-invalid-lines =
    { $count ->
        [one] 1 line is not a token
       *[other] { NUMBER($count) } lines are not tokens
    }
batch-more-invalid-lines =
    { $count ->
        [one] …and 1 more line that is not a token: the results list it as invalid input
       *[other] …and { NUMBER($count) } more lines that are not tokens: the results list them as invalid input
    }
batch-reading-pasted = Reading the pasted tokens…
push-type-help-alert = a notification people see or hear
push-type-help-background = wakes the app silently to fetch content
push-type-help-complication = updates a watchOS complication
push-type-help-controls = reloads a control (WidgetKit: Control Center, Lock Screen)
push-type-help-fileprovider = tells a File Provider extension its files changed
push-type-help-liveactivity = starts, updates or ends a Live Activity
push-type-help-location = asks a Location Push Service extension for the location
push-type-help-mdm = tells a managed device to check in with its MDM server
push-type-help-pushtotalk = a Push to Talk channel update
push-type-help-voip = an incoming VoIP call (CallKit)
push-type-help-widgets = reloads the app's widgets (WidgetKit)
compose-guide-why = See why
compose-la-plus-hour = +1 h
compose-la-date-is = That is { $date }.
simulator-refused-heading = Refused requests (the newest { NUMBER($count) })
simulator-refused-probe = the connection check's probe (an invalid token, refused on purpose)
simulator-refused-over-certificate = Sent over a certificate: Apple takes { $push_type } pushes only over a token-based connection.
chart-batch-heading = Charts
chart-by-day = Sends by day
chart-by-day-summary =
    { $entries ->
        [one] 1 History entry
       *[other] { NUMBER($entries) } History entries
    } over { $days ->
        [one] 1 day
       *[other] { NUMBER($days) } days
    }: { NUMBER($delivered) } delivered, { NUMBER($rejected) } rejected, { NUMBER($unanswered) } without an answer.
chart-by-kind = By push type and priority
chart-by-reason = Rejections by reason
chart-csv-path = Save the data as
chart-days = days
chart-delivered = delivered
chart-filter-any = All
chart-filter-credential = Credential
chart-filter-destination = Destination
chart-latency-histogram = Round trips
chart-latency-summary = { NUMBER($count) } round trips: p50 { $p50 } ms, p95 { $p95 } ms, p99 { $p99 } ms.
chart-latency-before = The run before ({ $with }): p50 { $p50 } ms.
chart-latency-over-time = Latency
chart-latency-over-time-summary = At the end: p50 { $p50 } ms, p99 { $p99 } ms.
chart-ms = ms
chart-not-sent = not sent
chart-nothing-yet = Nothing yet.
chart-outcomes = Outcomes as they arrive
chart-outcomes-summary = { NUMBER($delivered) } delivered, { NUMBER($rejected) } rejected, { NUMBER($unconfirmed) } unconfirmed, { NUMBER($notsent) } not sent{ $invalid ->
        [0] {""}
       *[other] , { NUMBER($invalid) } invalid input
    }.
chart-per-second = per second
chart-pushes = pushes
chart-refused = refused
chart-rejected = rejected
chart-retries = resent
chart-round-trips = round trips
chart-save-csv = Save CSV
chart-saved = Saved to { $path }
chart-seconds = seconds
chart-simulator-traffic = Simulator traffic
chart-simulator-traffic-summary = { NUMBER($peak) } deliveries per second at the peak.
chart-this-run = this run
chart-throughput = Throughput
chart-throughput-summary = { NUMBER($peak) } per second at the peak; { NUMBER($retried) } resent.
chart-unanswered = no answer
chart-unconfirmed = unconfirmed
history-dashboard = Dashboard
simulator-api = Control API and web inbox
simulator-api-port = API port
simulator-api-url = Web inbox and API:
simulator-api-hint = Loopback only. Tests wait for pushes and change devices and faults through it; a browser shows the inbox live. Applies on start.
cert-error-too-many-iterations = { $name } asks for { NUMBER($iterations) } key-derivation iterations, more than the { NUMBER($limit) } pushlab allows (Keychain and OpenSSL write about 2,000; a count this high keeps the computer busy for minutes per passphrase try): export it again
batch-resume-title = A batch was not finished
batch-resume-what = Begun { $started } to { NUMBER($total) } { $total ->
        [one] device
       *[other] devices
    } with { $credential }: { NUMBER($left) } { $left ->
        [one] push has
       *[other] pushes have
    } not been sent.
batch-resume-earlier = Settled before it stopped, not sent again: { NUMBER($delivered) } delivered, { NUMBER($rejected) } rejected.
batch-resume-unconfirmed = { NUMBER($count) } { $count ->
        [one] push went
       *[other] pushes went
    } out without an answer before it stopped: they may have reached the devices, so they are not sent again (listed as unconfirmed).
batch-resume-more = { NUMBER($count) } more unfinished { $count ->
        [one] batch waits
       *[other] batches wait
    } after this one.
batch-resume-button = Resume: send the { NUMBER($count) } not sent
batch-resume-discard = Discard this batch
batch-resume-other-route = To resume, choose { $credential } and the destination it was begun with.
batch-resume-discard-failed = Could not remove { $path }: { $error }
batch-no-journal = This batch keeps no journal ({ $error }): if the app stops, it cannot be resumed.
chart-save-png = Save picture: { $path }
chart-picture-not-shown = The chart was not on screen when the picture was taken: scroll it into view and save again.
simulator-la-why-to-start-token = sent to the push-to-start token: a phone updates an activity only at its own update token ({ $token })
simulator-la-started-at = Started by a push to { $start }; its update token is { $update }: updates and the end go there
simulator-la-copy-token = Copy update token
simulator-la-send-update = Send an update to it
simulator-la-send-update-hint = Compose & Send an update to this activity's own token, carrying on from its content state
compose-la-followed = The simulated phone gave the started activity its own update token ({ $token }): this update goes there, as a phone needs
compose-la-followed-saved = The simulated phone gave the started activity its own update token ({ $token }), now saved on { $name }: this update goes there, as a phone needs
compose-la-update-to-start-token = This is a push-to-start token: APNs accepts an update or end sent to it, but no activity changes. Send them to the activity's own update token, which the app gets from the activity's pushTokenUpdates and sends its server.
doctor-check-credential-for-push-type = Credential fits the push type
doctor-evidence-needs-token = Apple accepts { $push_type } pushes only over a token-based connection (an auth key, .p8), not with a certificate
doctor-remedy-use-auth-key = send these with an auth key (.p8) from the developer portal's Keys page, with its key id and team id
batch-live-token-missing = { $count ->
    [one] 1 picked device has
   *[other] { $count } picked devices have
} no { $kind } saved ({ $names }): left out of this Live Activity batch. Add it with Edit device on Compose & Send.
