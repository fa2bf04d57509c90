# pushlab，简体中文。与 i18n/en/pushlab.ftl 的 id 一一对应（tests/i18n_messages.rs 会检查）。
# Apple 的原因字符串（如 Unregistered、BadDeviceToken）保持原样，不翻译。

## Navigation and settings (app/nav.rs, theme.rs)

nav-logo = Pushlab 标志
nav-group-set-up = 设置
nav-group-send = 推送
nav-group-test = 测试
nav-credentials = 凭据
nav-connection = 连接
nav-compose = 撰写与发送
nav-batch = 批量发送
nav-history = 历史记录
nav-simulator = 模拟器
nav-appearance = 外观
appearance-system = 跟随系统
appearance-light = 浅色
appearance-dark = 深色
nav-language = 语言
nav-language-system = 跟随系统（{ $language }）
nav-drop-one = 松开即可导入此文件
nav-drop-many = 松开即可导入这 { NUMBER($count) } 个文件
nav-drop-kinds = 证书（.cer）、密钥（.pem、.key）、.p12 和 .p8 文件

## Fonts (fonts.rs)

fonts-missing-cjk = 未找到中日韩文字体，中文、日文和韩文会显示为方框。请安装 CJK 字体（例如 Noto Sans CJK）以显示这些文字。
fonts-missing-other = 此系统上有些文字（阿拉伯文、希伯来文等）没有字体，会显示为方框。请安装 Noto Sans 或 DejaVu Sans 以显示这些文字。
fonts-hide-note = 隐藏
fonts-language-needs-cjk = 中文界面需要 CJK 字体（例如 Noto Sans CJK）；安装之前应用保持英文。

## compose/mod.rs

compose-heading = 撰写与发送
compose-token = 设备令牌
compose-token-hint = 粘贴应用记录的令牌，任何格式均可
compose-saved-devices = 已保存的设备
compose-no-devices = 没有已保存的设备
compose-save-device = 保存设备…
compose-device-name = 设备名称
compose-device-group = 分组
compose-save = 保存
compose-forget = 移除此设备
compose-demo = 使用演示设备
compose-push-type = 推送类型
compose-template = 模板
compose-bundle = Bundle ID
compose-form = 表单
compose-json = JSON
compose-payload = 负载 JSON
compose-kept-payload = 已保留你的负载。选择一个模板即可从此推送类型的常用负载开始。
compose-headers = 标头
compose-priority = 优先级
compose-expiration = 过期时间
compose-collapse-id = 折叠 ID
compose-apns-id = apns-id
compose-new-id = 新的 apns-id
compose-send = 发送
compose-sending = 正在发送…
compose-send-hint = 也可按 Ctrl+Enter（Mac 上为 ⌘+Enter）发送。
compose-curl = 复制为 curl
compose-curl-done = 已复制。口令和提供者令牌保留为 $PEM_PASSPHRASE 和 $PROVIDER_TOKEN。
compose-curl-local = 使用本地模拟器时，请在“模拟器”页面用“导出 CA…”将其 CA 保存为 simulator-ca.pem。
compose-response = 响应
compose-guide = 首次使用：四步发送一条推送，无需 Apple 账号
compose-hide-guide = 隐藏向导

## batch/mod.rs

batch-heading = 批量发送
batch-intro = 将“撰写与发送”中的通知发送到多台设备：每个令牌一条结果，失效令牌单独列出，便于从数据库中删除。
batch-paste = 令牌，每行一个（令牌后可附名称）
batch-import = 导入文件…
batch-import-path = 令牌文件路径
batch-load = 载入文件
batch-clear-import = 移除已导入的文件
batch-saved = 已保存的设备和分组
batch-send = 开始批量发送
batch-cancel = 取消批量发送
batch-filter = 筛选结果
batch-show = 显示
batch-dead = 失效令牌
batch-unconfirmed-hint = 未确认：已发送但没有收到应答，APNs 可能收到也可能没收到。为避免手机重复显示，它们没有被重发；如果重复比丢失更好，请打开“重发未确认的推送”。
batch-wrong-environment = 大多数令牌收到 BadDeviceToken：很可能是环境选错了，而不是令牌有问题（从 Xcode 运行的应用使用沙盒令牌；TestFlight 和 App Store 版本使用生产令牌）。请不要删除它们。
batch-probe-other = 在另一个环境中试一个令牌
batch-bad-tokens-hint = 收到 BadDeviceToken：格式错误，或属于另一个环境。请检查，不要删除。
batch-resend-unconfirmed = 重发未确认的推送
batch-resend-unconfirmed-hint = 再次发送没有收到应答的推送。手机可能因此显示两次；关闭时它们报告为未确认。
batch-dead-hint = APNs 表示这些令牌再也不会有效（应用已删除、通知已关闭或令牌已过期）。请从数据库中删除它们。
batch-export = 导出…
batch-export-what = 导出
batch-export-path = 导出路径
batch-save-to-path = 保存到路径
batch-summary = 汇总
batch-connections = 连接数
batch-in-flight = 每个连接最多同时发送
batch-settings-hint = 按 Apple 的建议，多个连接可以分摊负载；服务器允许的同时发送数可能少于所请求的。

## connection/mod.rs

connection-heading = 连接
connection-intro = 选择推送发往何处、用哪个凭据证明身份，然后逐步检查连接：相当于教程里的 telnet 和 openssl s_client，每种失败都有说明。
connection-where = 发送到
connection-credential = 凭据
connection-port = 端口
connection-port-443 = 443（HTTPS）
connection-port-2197 = 2197（防火墙屏蔽 443 时）
connection-custom-host = 主机和端口
connection-custom-ca = CA 文件（PEM，可选）
connection-key-id = 密钥 ID
connection-team-id = 团队 ID
connection-bundle-id = 应用 Bundle ID
connection-check = 检查连接
connection-checking = 正在检查…
connection-check-hint = 查找主机、建立连接、完成 TLS 和 HTTP/2 握手，再发送一个不会到达设备的请求：每一步都计时，失败时告诉你该怎么做。
connection-passed = 连接正常
connection-failed = 连接检查失败
connection-details = 服务器证书链和 HTTP/2 设置
connection-no-credentials = 还没有可用的凭据。请在“凭据”页面导入，或为本地模拟器生成测试证书：
connection-generate = 生成测试证书
connection-sim-not-running = 本地模拟器没有运行——请在“模拟器”页面启动它。
connection-choose-credential = 请先选择凭据：在“凭据”页面导入，或生成测试证书。

## simulator/mod.rs

simulator-heading = 模拟器
simulator-intro = pushlab 内置的本地 APNs 服务器。它像 Apple 的服务器一样应答，信任“凭据”页面生成的测试证书，并显示手机上会出现的内容。
simulator-running = 运行中
simulator-stopped = 已停止
simulator-starting = 正在启动…
simulator-start = 启动模拟器
simulator-stop = 停止模拟器
simulator-apply = 应用并重启
simulator-environment = 环境
simulator-port = 端口
simulator-port-hint = 0 表示自动选择空闲端口
simulator-faults = 注入故障
simulator-faults-hint = 用于测试你的发送程序如何应对。更改在模拟器重启后生效。
simulator-error-share = 拒绝请求的比例（%）
simulator-error-reason = 拒绝原因
simulator-goaway = 每个连接在这么多请求后发送 GOAWAY（0：从不）
simulator-latency = 每个应答额外延迟（毫秒）
simulator-reset-processed = 投递后不应答直接重置：每第 N 条推送（0：从不）
simulator-drop-processed = 投递这么多条推送后断开连接且不应答（0：从不）
simulator-unanswered-hint = 已到达但没有应答的推送：发送方必须报告为未确认，不能报告为已投递，也不能发送两次。
simulator-export-ca = 导出 CA…
simulator-export-path = CA 文件路径
simulator-save-ca = 将 CA 保存到路径
simulator-export-hint = 与模拟器通信的客户端必须信任此 CA（curl --cacert、pushlab --ca）。
simulator-inbox = 收件箱
simulator-clear = 清空收件箱
simulator-empty-inbox = 还没有投递任何内容。在“撰写”页面发送推送后，它会出现在这里。
simulator-silent = 静默推送——应用在后台被唤醒，用户看不到任何内容
simulator-voip = VoIP 推送——应用被唤醒以报告来电
simulator-live-activity = 实时活动推送——锁定屏幕上的活动随之更新
simulator-widgets = 小组件推送——应用的小组件重新载入内容
simulator-other-quiet = 推送——由应用处理，不显示任何内容
simulator-not-running-for-ca = 请先启动模拟器：它运行时才会读取 CA。

## history.rs

history-heading = 历史记录
history-search = 搜索历史记录
history-empty = 还没有发送任何内容。“撰写与发送”发出的每条推送及其应答都会保存在这里。
history-no-match = 没有匹配搜索的发送记录。
history-resend = 再次发送
history-load = 在“撰写”中打开
history-clear = 清空历史记录
history-request = 请求
history-pick = 在左侧选择一条发送记录，查看其请求和应答。
history-batch-result = 批量发送结果
history-batch-sample = 未投递的前几个令牌

## widgets/replace_prompt.rs

replace-replace = 替换
replace-cancel = 取消
replace-hint = 替换后无法撤销。
