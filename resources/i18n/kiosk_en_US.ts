<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>CalendarPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="18" />
        <source>日程</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="19" />
        <source>日程中心：全部日程、每周会议、个人日程与我的课表</source>
        <translation>Calendar: all events, weekly meetings, personal events and your timetable</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="25" />
        <source>登录后查看您的日程与课表</source>
        <translation>Sign in to see your calendar and timetable</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="31" />
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
</context>
<context>
    <name>HallPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="20" />
        <source>办事大厅</source>
        <translation>Service Hall</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="22" />
        <source>共 %1 项服务</source>
        <translation>%1 services</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="23" />
        <source>（离线副本）</source>
        <translation> (offline copy)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="64" />
        <source>暂时无法获取办事目录</source>
        <translation>The service catalogue is unavailable right now</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="64" />
        <source>正在获取办事目录…</source>
        <translation>Loading the service catalogue…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="66" />
        <source>网络未连接：%1。恢复后会自动重试，也可点右上角的状态重试。</source>
        <translation>No connection: %1. It retries automatically; tap the status at the top right to retry now.</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="19" />
        <source>首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="20" />
        <source>登录后这里显示您的待办、邮件、借阅与日程</source>
        <translation>After sign-in: your tasks, mail, loans and calendar</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="30" />
        <source>未读邮件</source>
        <translation>Unread mail</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="31" />
        <source>在借图书</source>
        <translation>Books on loan</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="32" />
        <source>逾期图书</source>
        <translation>Overdue books</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="33" />
        <source>待办</source>
        <translation>To do</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="73" />
        <source>登录后显示</source>
        <translation>Shown after sign-in</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="89" />
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="21" />
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="152" />
        <source>请输入工号/学号</source>
        <translation>Enter your staff/student ID</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="22" />
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="174" />
        <source>请输入密码</source>
        <translation>Enter your password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="25" />
        <source>登录服务尚未开通，请稍后再试。</source>
        <translation>Sign-in is not available yet. Please try again later.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="70" />
        <source>一站式办事大厅欢迎您！</source>
        <translation>Welcome to the One-stop Service Hall!</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="78" />
        <source>全天候 零距离 · 少跑腿、多办事</source>
        <translation>Open around the clock · fewer trips, more done</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="88" />
        <source>先看看办事指南</source>
        <translation>Browse service guides</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="113" />
        <source>统一身份认证平台</source>
        <translation>Unified Identity Authentication</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="126" />
        <source>账号登录</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="127" />
        <source>扫码登录</source>
        <translation>QR login</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="155" />
        <source>字母会自动转为大写</source>
        <translation>Letters are converted to upper case</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="196" />
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="218" />
        <source>扫码登录尚未开通</source>
        <translation>QR login is not available yet</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="219" />
        <source>请使用账号登录</source>
        <translation>Please sign in with your account</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="225" />
        <source>用手机扫描二维码，在手机上确认后即可登录本机</source>
        <translation>Scan the code with your phone and confirm there to sign in here</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="246" />
        <source>账号规则：用户名为学工号，如若学工号中包含字母，字母需为大写。</source>
        <translation>Account rule: the user name is your student/staff ID; letters in it must be upper case.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="247" />
        <source>密码规则：初始密码为身份证后6位，首次登录需要修改密码。</source>
        <translation>Password rule: the initial password is the last 6 characters of your national ID; change it at first login.</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/Kiosk/Main.qml" line="16" />
        <source>融合门户 · 一站式办事大厅</source>
        <translation>Campus Portal · One-stop Service Hall</translation>
    </message>
</context>
<context>
    <name>MessagesPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="17" />
        <source>消息中心</source>
        <translation>Message centre</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="18" />
        <source>全部新闻 · 通知公告 · 学校新闻 · 科研动态 · 学工动态 · 门户通知</source>
        <translation>All news · Notices · School news · Research · Student affairs · Portal notices</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="24" />
        <source>新闻与通知将在这里显示</source>
        <translation>News and notices will appear here</translation>
    </message>
</context>
<context>
    <name>NavBar</name>
    <message>
        <location filename="../qml/Kiosk/components/NavBar.qml" line="25" />
        <source>首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NavBar.qml" line="26" />
        <source>办事大厅</source>
        <translation>Service Hall</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NavBar.qml" line="27" />
        <source>日程</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NavBar.qml" line="28" />
        <source>消息</source>
        <translation>Messages</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NavBar.qml" line="29" />
        <source>我的</source>
        <translation>Me</translation>
    </message>
</context>
<context>
    <name>PageHeader</name>
    <message>
        <location filename="../qml/Kiosk/components/PageHeader.qml" line="21" />
        <source>返回</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>ProfilePage</name>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="18" />
        <source>我的</source>
        <translation>Me</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="19" />
        <source>个人中心：个人信息、我的申请与登录设备</source>
        <translation>Personal centre: your profile, applications and signed-in devices</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="25" />
        <source>登录后查看个人中心</source>
        <translation>Sign in to see your personal centre</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="31" />
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
</context>
<context>
    <name>StatusIndicator</name>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="34" />
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="35" />
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="36" />
        <source>连接中…</source>
        <translation>Connecting…</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../qml/Kiosk/components/TopBar.qml" line="54" />
        <source>融合门户 · 一站式办事大厅</source>
        <translation>Campus Portal · One-stop Service Hall</translation>
    </message>
</context>
</TS>