<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>ActionPanel</name>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="39"/>
        <source>确认验收</source>
        <translation>Confirm and accept</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="39"/>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="40"/>
        <source>修改后重新提交</source>
        <translation>Revise and resubmit</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="41"/>
        <source>催办</source>
        <translation>Urge</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="42"/>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="43"/>
        <source>不予办理</source>
        <translation>Reject</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="44"/>
        <source>转办</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="45"/>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="120"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="46"/>
        <source>批注</source>
        <translation>Annotate</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="47"/>
        <source>撤回</source>
        <translation>Withdraw</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="48"/>
        <source>终止</source>
        <translation>Terminate</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="119"/>
        <source>办理：%1</source>
        <translation>Handle: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="120"/>
        <source>我的申请</source>
        <translation>My applications</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="129"/>
        <source>处理中…，联网后由服务器确认</source>
        <translation>Processing… the server confirms it once online</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="187"/>
        <source>完成本操作后，流程将转到：%1</source>
        <translation>After this, the application goes to: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="215"/>
        <source>办理意见（选填）</source>
        <translation>Opinion (optional)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="226"/>
        <source>请在表单中点击要批注的字段旁的“批注”。</source>
        <translation>In the form, tap “Annotate” beside the field to annotate.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionPanel.qml" line="234"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ActionSheet</name>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="28"/>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="28"/>
        <source>退回后，由所选的一方修改或重新办理。</source>
        <translation>Once returned, the party you choose revises or handles it again.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="29"/>
        <source>退回原因（必填）</source>
        <translation>Reason for returning (required)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="29"/>
        <source>请填写退回原因</source>
        <translation>Please give the reason for returning it</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="29"/>
        <source>确认退回</source>
        <translation>Return it</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="31"/>
        <source>不予办理</source>
        <translation>Reject</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="31"/>
        <source>不予办理后流程结束，申请人会收到通知和理由。</source>
        <translation>Rejecting ends the process; the applicant is notified with your reason.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="32"/>
        <source>不予办理的理由（必填）</source>
        <translation>Reason for rejecting (required)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="32"/>
        <source>请填写不予办理的理由</source>
        <translation>Please give the reason for rejecting it</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="33"/>
        <source>确认不予办理</source>
        <translation>Reject it</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="34"/>
        <source>转办</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="34"/>
        <source>转给本部门的同事办理，您的待办随之转出。</source>
        <translation>A colleague of your department handles it instead; it leaves your to-do list.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="35"/>
        <source>转办说明（选填）</source>
        <translation>Note for your colleague (optional)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="35"/>
        <source>请选择转办给谁</source>
        <translation>Please choose whom to transfer it to</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="35"/>
        <source>确认转办</source>
        <translation>Transfer it</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="36"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="36"/>
        <source>备注写入办理记录，申请人和办理人都能看到。</source>
        <translation>A note goes into the history, seen by the applicant and the handlers.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="37"/>
        <source>备注内容</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="37"/>
        <source>请填写备注内容</source>
        <translation>Please write the note</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="37"/>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="40"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="38"/>
        <source>批注：%1</source>
        <translation>Annotate: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="38"/>
        <source>批注显示在该字段旁，申请人修改时能看到。</source>
        <translation>The annotation is shown beside the field; the applicant sees it when revising.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="169"/>
        <source>Enter 或 Ctrl+Enter</source>
        <translation>Enter or Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="39"/>
        <source>请填写批注内容</source>
        <translation>Please write the annotation</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="39"/>
        <source>批注内容，写明申请人应如何修改</source>
        <translation>Annotation: say what the applicant should change</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="41"/>
        <source>撤回申请</source>
        <translation>Withdraw the application</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="41"/>
        <source>撤回后申请回到您这里，可修改后重新提交。</source>
        <translation>Withdrawn, the application comes back to you to revise and resubmit.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="42"/>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="44"/>
        <source>说明（选填）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="42"/>
        <source>确认撤回</source>
        <translation>Withdraw it</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="43"/>
        <source>终止申请</source>
        <translation>Terminate the application</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="43"/>
        <source>终止后本申请结束，不能再继续办理。</source>
        <translation>Terminated, the application ends and cannot be continued.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="44"/>
        <source>确认终止</source>
        <translation>Terminate it</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="110"/>
        <source>退回申请人</source>
        <translation>Return to the applicant</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="111"/>
        <source>退回上一步：%1</source>
        <translation>Return to the previous step: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ActionSheet.qml" line="160"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ApplicationPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="82"/>
        <source>流水号：%1</source>
        <translation>Serial no.: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="82"/>
        <source>待分配</source>
        <translation>to be assigned</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="83"/>
        <source>单号：%1</source>
        <translation>Doc no.: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="84"/>
        <source>申请人：%1</source>
        <translation>Applicant: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="101"/>
        <source>该事项已不在您的待办中。</source>
        <translation>This is no longer in your to-do list. </translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="117"/>
        <source>已提交。</source>
        <translation>Submitted.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="125"/>
        <source>办理下一件</source>
        <translation>Next item</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="127"/>
        <source>办理下一件（Ctrl+N）</source>
        <translation>Next item (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="132"/>
        <source>返回列表</source>
        <translation>Back to list</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="152"/>
        <source>状态：%1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="154"/>
        <source>当前步骤：%1</source>
        <translation>Current step: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ApplicationPage.qml" line="156"/>
        <source>办理人：%1</source>
        <translation>Handled by: %1</translation>
    </message>
</context>
<context>
    <name>ArticleBlock</name>
    <message>
        <location filename="../qml/Kiosk/components/ArticleBlock.qml" line="63"/>
        <source>〔图片：%1〕</source>
        <translation>[Image: %1]</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ArticleBlock.qml" line="63"/>
        <source>〔图片〕</source>
        <translation>[Image]</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ArticleBlock.qml" line="64"/>
        <source>正在加载图片…</source>
        <translation>Loading the image…</translation>
    </message>
</context>
<context>
    <name>ArticlePage</name>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="20"/>
        <source>通知公告</source>
        <translation>Notices</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="20"/>
        <source>学校新闻</source>
        <translation>School news</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="20"/>
        <source>科研动态</source>
        <translation>Research news</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="21"/>
        <source>学工动态</source>
        <translation>Student affairs</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="21"/>
        <source>门户通知</source>
        <translation>Portal notices</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="21"/>
        <source>院系动态</source>
        <translation>Department news</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="22"/>
        <source>学术讲座</source>
        <translation>Academic lectures</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="22"/>
        <source>教学科研</source>
        <translation>Teaching and research</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="33"/>
        <source>消息中心</source>
        <translation>Message centre</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="64"/>
        <source>这条消息已不存在</source>
        <translation>This item no longer exists</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="76"/>
        <source>发布时间：%1</source>
        <translation>Published: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="77"/>
        <source>发布者：%1</source>
        <translation>By: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ArticlePage.qml" line="89"/>
        <source>正在打开…</source>
        <translation>Opening…</translation>
    </message>
</context>
<context>
    <name>AttachmentField</name>
    <message>
        <location filename="../qml/Kiosk/components/AttachmentField.qml" line="28"/>
        <source>选择文件</source>
        <translation>Choose files</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/AttachmentField.qml" line="34"/>
        <source>已上传 %1 / %2 个</source>
        <translation>%1 of %2 uploaded</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/AttachmentField.qml" line="46"/>
        <source>已上传</source>
        <translation>uploaded</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/AttachmentField.qml" line="59"/>
        <source>上传中 %1%</source>
        <translation>Uploading… %1%</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/AttachmentField.qml" line="126"/>
        <source>移除 %1</source>
        <translation>Remove %1</translation>
    </message>
</context>
<context>
    <name>CalendarDayList</name>
    <message>
        <location filename="../qml/Kiosk/components/CalendarDayList.qml" line="42"/>
        <source>全天</source>
        <translation>All day</translation>
    </message>
</context>
<context>
    <name>CalendarEditSheet</name>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="18"/>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="18"/>
        <source>开始时</source>
        <translation>At start</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="18"/>
        <source>5分钟前</source>
        <translation>5 min before</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="19"/>
        <source>15分钟前</source>
        <translation>15 min before</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="19"/>
        <source>30分钟前</source>
        <translation>30 min before</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="19"/>
        <source>1小时前</source>
        <translation>1 hour before</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="20"/>
        <source>1天前</source>
        <translation>1 day before</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="21"/>
        <source>不重复</source>
        <translation>Does not repeat</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="21"/>
        <source>每天</source>
        <translation>Daily</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="21"/>
        <source>每周</source>
        <translation>Weekly</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="22"/>
        <source>截止日期</source>
        <translation>Until a date</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="22"/>
        <source>重复次数</source>
        <translation>Number of times</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="77"/>
        <source>编辑日程</source>
        <translation>Edit event</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="77"/>
        <source>只修改这一次</source>
        <translation>Only this time</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="78"/>
        <source>新增日程</source>
        <translation>New event</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="87"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="94"/>
        <source>保存中…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="94"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="114"/>
        <source>只改“%1”这一次的时间，其余各次不变；标题、地点等请编辑整个日程。</source>
        <translation>Changes only the time of this “%1”; the other times stay. To change the title, place and so on, edit the whole event.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="131"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="136"/>
        <source>必填，如：组会</source>
        <translation>Required, e.g. Group meeting</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="145"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="151"/>
        <source>全天</source>
        <translation>All day</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="161"/>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="187"/>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="210"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="215"/>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="229"/>
        <source>选填</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="224"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="238"/>
        <source>提醒</source>
        <translation>Reminder</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="253"/>
        <source>重复</source>
        <translation>Repeat</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="268"/>
        <source>结束重复</source>
        <translation>Repeat ends</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEditSheet.qml" line="292"/>
        <source>次数</source>
        <translation>Times</translation>
    </message>
</context>
<context>
    <name>CalendarEventDialog</name>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="15"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="16"/>
        <source>全天</source>
        <translation>All day</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="17"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="18"/>
        <source>教师</source>
        <translation>Teacher</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="19"/>
        <source>班级</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="20"/>
        <source>周次</source>
        <translation>Weeks</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="21"/>
        <source>主持人</source>
        <translation>Host</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="22"/>
        <source>组织部门</source>
        <translation>Organizer</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="23"/>
        <source>参会部门</source>
        <translation>Departments</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="24"/>
        <source>参会人员</source>
        <translation>Attendees</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="25"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="104"/>
        <source>修改“%1”的这一次，还是整个重复日程？</source>
        <translation>Change this time of “%1”, or the whole repeating event?</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="114"/>
        <source>删除“%1”的这一次，还是整个重复日程？</source>
        <translation>Delete this occurrence of “%1”, or the whole series?</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="115"/>
        <source>删除“%1”？删除后不能恢复。</source>
        <translation>Delete “%1”? This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="129"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="135"/>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="149"/>
        <source>修改整个日程</source>
        <translation>The whole event</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="155"/>
        <source>只修改这一次</source>
        <translation>Only this time</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="167"/>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="175"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="175"/>
        <source>删除整个日程</source>
        <translation>Delete the series</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="181"/>
        <source>只删除这一次</source>
        <translation>Only this one</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="161"/>
        <location filename="../qml/Kiosk/components/CalendarEventDialog.qml" line="187"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CalendarFeedCard</name>
    <message>
        <location filename="../qml/Kiosk/components/CalendarFeedCard.qml" line="14"/>
        <source>订阅日历</source>
        <translation>Subscribe to your calendar</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarFeedCard.qml" line="21"/>
        <source>用手机扫描二维码，或在日历应用中添加此订阅地址。请勿把地址告诉他人：有它就能看到您的日程。</source>
        <translation>Scan the QR code with your phone, or add this address to a calendar app. Keep it to yourself: anyone with it can see your schedule.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarFeedCard.qml" line="22"/>
        <source>订阅链接已停用，用它订阅的日历不再更新。</source>
        <translation>The subscription link is disabled; calendars subscribed with it no longer update.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarFeedCard.qml" line="23"/>
        <source>在手机或电脑的日历应用中订阅您的课表、会议与个人日程。生成链接后，之前的链接将失效。</source>
        <translation>Subscribe to your timetable, meetings and personal events in a calendar app on your phone or computer. Making a link disables the previous one.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarFeedCard.qml" line="70"/>
        <source>请稍候…</source>
        <translation>Please wait…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarFeedCard.qml" line="70"/>
        <source>重置链接</source>
        <translation>Reset link</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarFeedCard.qml" line="70"/>
        <source>生成订阅链接</source>
        <translation>Make a subscription link</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarFeedCard.qml" line="77"/>
        <source>复制链接</source>
        <translation>Copy link</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarFeedCard.qml" line="86"/>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarFeedCard.qml" line="93"/>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
</context>
<context>
    <name>CalendarMonthGrid</name>
    <message>
        <location filename="../qml/Kiosk/components/CalendarMonthGrid.qml" line="67"/>
        <source>%1日 今天</source>
        <translation>%1 Today</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarMonthGrid.qml" line="68"/>
        <source>%1日</source>
        <translation>%1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarMonthGrid.qml" line="81"/>
        <source>+%1</source>
        <translation>+%1</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="18"/>
        <source>全部日程</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="18"/>
        <source>每周会议</source>
        <translation>Meetings</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="18"/>
        <source>个人日程</source>
        <translation>Personal</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="19"/>
        <source>我的课表</source>
        <translation>My timetable</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="20"/>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="20"/>
        <source>周</source>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="20"/>
        <source>日</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="29"/>
        <source>%1年%2月</source>
        <translation>%2/%1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="33"/>
        <source>%1年%2月%3日 – %4月%5日</source>
        <translation>%2/%3/%1 – %4/%5</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="36"/>
        <source>%1年%2月%3日 %4</source>
        <translation>%4 %2/%3/%1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="67"/>
        <source>日程</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="68"/>
        <source>日程中心：全部日程、每周会议、个人日程与我的课表</source>
        <translation>Calendar: all events, weekly meetings, personal events and your timetable</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="74"/>
        <source>登录后查看日程</source>
        <translation>Sign in to see your calendar</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="75"/>
        <source>您的课表、每周会议与个人日程</source>
        <translation>Your timetable, meetings and personal events</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="102"/>
        <source>日程中心</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="127"/>
        <source>上一页</source>
        <translation>Previous</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="146"/>
        <source>下一页</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="151"/>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="158"/>
        <source>新增日程</source>
        <translation>New event</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="192"/>
        <source>未保存：%1</source>
        <translation>Not saved: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="200"/>
        <source>知道了</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="244"/>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="245"/>
        <source>这一天没有日程</source>
        <translation>Nothing on this day</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="245"/>
        <source>这一天没有%1</source>
        <translation>No %1 on this day</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/CalendarPage.qml" line="82"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
</context>
<context>
    <name>CalendarStyle</name>
    <message>
        <location filename="../qml/Kiosk/components/CalendarStyle.qml" line="19"/>
        <source>课程</source>
        <translation>Course</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarStyle.qml" line="19"/>
        <source>会议</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarStyle.qml" line="19"/>
        <source>个人</source>
        <translation>Personal</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarStyle.qml" line="22"/>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarStyle.qml" line="22"/>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarStyle.qml" line="22"/>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarStyle.qml" line="22"/>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarStyle.qml" line="22"/>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarStyle.qml" line="22"/>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarStyle.qml" line="23"/>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
</context>
<context>
    <name>CalendarWeekView</name>
    <message>
        <location filename="../qml/Kiosk/components/CalendarWeekView.qml" line="30"/>
        <source>全天</source>
        <translation>All day</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarWeekView.qml" line="72"/>
        <source>%1 %2日</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CalendarWeekView.qml" line="73"/>
        <source> 今天</source>
        <translation> · Today</translation>
    </message>
</context>
<context>
    <name>CertificateCard</name>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="35"/>
        <source>证明文件：%1</source>
        <translation>Certificate: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="46"/>
        <source>可打印 %1 份（共 %2 份，已打印 %3 份）</source>
        <translation>Copies left to print: %1 (%2 in all, %3 printed)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="47"/>
        <source>大厅自助打印机可打印 %1 份（共 %2 份，已打印 %3 份）</source>
        <translation>Copies left at the hall's printers: %1 (%2 in all, %3 printed)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="49"/>
        <source>验证码：%1&#x3000;有效期至：%2</source>
        <translation>Verification code: %1  Valid until: %2</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="50"/>
        <source>网络未连接：份数以本机上次同步为准</source>
        <translation>Offline: copies as of this kiosk&apos;s last sync</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="70"/>
        <source>本机未连接打印机。</source>
        <translation>This kiosk has no printer. </translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="84"/>
        <source>打印证明</source>
        <translation>Print certificate</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="92"/>
        <source>下载</source>
        <translation>Download</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="99"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="129"/>
        <source>保存证明文件</source>
        <translation>Save the certificate</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CertificateCard.qml" line="133"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ChangePasswordPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="53"/>
        <source>修改初始密码</source>
        <translation>Change your initial password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="53"/>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="63"/>
        <source>您是第一次登录，须要修改密码才能使用。</source>
        <translation>This is your first sign-in: change your password before you continue.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="71"/>
        <source>新密码至少 8 位，须同时包含字母和数字，不能包含学号/工号。</source>
        <translation>At least 8 characters, with letters and digits, and not containing your ID.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="82"/>
        <source>原密码（身份证后6位）</source>
        <translation>Current password (last 6 of your national ID)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="82"/>
        <source>原密码</source>
        <translation>Current password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="95"/>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="125"/>
        <source>未输入</source>
        <translation>Empty</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="125"/>
        <source>弱</source>
        <translation>Weak</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="125"/>
        <source>中</source>
        <translation>Fair</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="125"/>
        <source>强</source>
        <translation>Strong</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="125"/>
        <source>很强</source>
        <translation>Very strong</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="136"/>
        <source>再次输入新密码</source>
        <translation>Repeat the new password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="161"/>
        <source>退出</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="161"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="170"/>
        <source>正在提交…</source>
        <translation>Submitting…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ChangePasswordPage.qml" line="170"/>
        <source>确认修改</source>
        <translation>Change password</translation>
    </message>
</context>
<context>
    <name>CounterCard</name>
    <message>
        <location filename="../qml/Kiosk/components/CounterCard.qml" line="55"/>
        <source>演示数据</source>
        <translation>Demo data</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/CounterCard.qml" line="57"/>
        <source>更新于 %1</source>
        <translation>Updated %1</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <location filename="../qml/Kiosk/components/DateField.qml" line="15"/>
        <source>请选择日期</source>
        <translation>Choose a date</translation>
    </message>
</context>
<context>
    <name>DatePickerPopup</name>
    <message>
        <location filename="../qml/Kiosk/components/DatePickerPopup.qml" line="48"/>
        <source>%1年%2月</source>
        <translation>%2/%1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DatePickerPopup.qml" line="100"/>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DatePickerPopup.qml" line="104"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DatePickerPopup.qml" line="108"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>DateRangeField</name>
    <message>
        <location filename="../qml/Kiosk/components/DateRangeField.qml" line="21"/>
        <source>开始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DateRangeField.qml" line="27"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DateRangeField.qml" line="31"/>
        <source>结束日期</source>
        <translation>End date</translation>
    </message>
</context>
<context>
    <name>DisplaySettingsCard</name>
    <message>
        <location filename="../qml/Kiosk/components/DisplaySettingsCard.qml" line="12"/>
        <source>显示设置</source>
        <translation>Display</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DisplaySettingsCard.qml" line="36"/>
        <source>语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DisplaySettingsCard.qml" line="41"/>
        <source>字号</source>
        <translation>Text size</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DisplaySettingsCard.qml" line="44"/>
        <source>标准</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DisplaySettingsCard.qml" line="45"/>
        <source>大</source>
        <translation>Large</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DisplaySettingsCard.qml" line="46"/>
        <source>特大</source>
        <translation>Extra large</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DisplaySettingsCard.qml" line="59"/>
        <source>高对比度</source>
        <translation>High contrast</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DisplaySettingsCard.qml" line="62"/>
        <source>已开启</source>
        <translation>On</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DisplaySettingsCard.qml" line="62"/>
        <source>已关闭</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DisplaySettingsCard.qml" line="71"/>
        <source>退出登录后恢复默认设置</source>
        <translation>Back to the defaults after logout</translation>
    </message>
</context>
<context>
    <name>DraftOfferDialog</name>
    <message>
        <location filename="../qml/Kiosk/components/DraftOfferDialog.qml" line="26"/>
        <source>有未提交的草稿</source>
        <translation>You have an unsubmitted draft</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DraftOfferDialog.qml" line="34"/>
        <source>您在 %1 保存过“%2”的草稿。继续填写草稿，还是删除草稿重新填写？</source>
        <translation>You saved a draft of &quot;%2&quot; at %1. Continue the draft, or delete it and start again?</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DraftOfferDialog.qml" line="47"/>
        <source>重新填写</source>
        <translation>Start again</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/DraftOfferDialog.qml" line="54"/>
        <source>继续填写草稿</source>
        <translation>Continue the draft</translation>
    </message>
</context>
<context>
    <name>EventTimeline</name>
    <message>
        <location filename="../qml/Kiosk/components/EventTimeline.qml" line="25"/>
        <source>办理记录</source>
        <translation>History</translation>
    </message>
</context>
<context>
    <name>FormField</name>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="219"/>
        <source>请选择</source>
        <translation>Please choose</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="273"/>
        <source>时:分，如 14:30</source>
        <translation>HH:MM, e.g. 14:30</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="373"/>
        <source>使用其他号码</source>
        <translation>Use another number</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="373"/>
        <source>修改</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="386"/>
        <source>选择要上传的文件</source>
        <translation>Choose the files to upload</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="389"/>
        <source>附件 (%1)</source>
        <translation>Attachments (%1)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="310"/>
        <source>此项需在办公电脑上传，自助终端上可不填。</source>
        <translation>Upload this from an office PC; it may be left empty at a kiosk.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="95"/>
        <source>用登记的号码</source>
        <translation>Use my number on record</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="95"/>
        <source>用登记的信息</source>
        <translation>Use what is on record</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="112"/>
        <source>批注 · %1</source>
        <translation>Annotation · %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormField.qml" line="354"/>
        <source>提交后生成</source>
        <translation>Assigned on submission</translation>
    </message>
</context>
<context>
    <name>FormPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="45"/>
        <source>修改后重新提交</source>
        <translation>Revise and resubmit</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="47"/>
        <source>流水号：%1，主管部门：%2</source>
        <translation>Serial no.: %1, department: %2</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="47"/>
        <source>待分配</source>
        <translation>pending</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="205"/>
        <source>还有 %1 处需要填写或修改</source>
        <translation>%1 field(s) still to fill in or correct</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="206"/>
        <source>已填写完整，可以提交</source>
        <translation>Complete, ready to submit</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="206"/>
        <source>附件上传中，请稍候…</source>
        <translation>Attachments are uploading, please wait…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="216"/>
        <source>查看未填项</source>
        <translation>Show what is missing</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="223"/>
        <source>草稿已保存 %1</source>
        <translation>Draft saved %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="232"/>
        <source>存草稿</source>
        <translation>Save draft</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="240"/>
        <source>提交</source>
        <translation>Submit</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="240"/>
        <source>重新提交</source>
        <translation>Resubmit</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="260"/>
        <source>正在打开表单…</source>
        <translation>Opening the form…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="260"/>
        <source>该服务的表单暂未同步到本机</source>
        <translation>This service&apos;s form has not reached this terminal yet</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/FormPage.qml" line="261"/>
        <source>请连接网络后稍候再试，或到受理部门窗口办理。</source>
        <translation>Connect to the network and try again shortly, or apply at the handling office&apos;s window.</translation>
    </message>
</context>
<context>
    <name>FormSectionCard</name>
    <message>
        <location filename="../qml/Kiosk/components/FormSectionCard.qml" line="64"/>
        <source>批注 · %1</source>
        <translation>Annotation · %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/FormSectionCard.qml" line="77"/>
        <source>批注</source>
        <translation>Annotate</translation>
    </message>
</context>
<context>
    <name>GuidePage</name>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="29"/>
        <source>办事指南</source>
        <translation>Service guide</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="49"/>
        <source>事项说明</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="62"/>
        <source>办理流程</source>
        <translation>Steps</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="124"/>
        <source>申请对象</source>
        <translation>Who may apply</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="131"/>
        <source>办理时限</source>
        <translation>Time to complete</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="137"/>
        <source>约 %1 个工作日</source>
        <translation>About %1 working day(s)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="137"/>
        <source>以受理部门通知为准</source>
        <translation>As the handling office advises</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="141"/>
        <source>所需材料</source>
        <translation>What to prepare</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="155"/>
        <source>无需另外准备材料</source>
        <translation>Nothing to prepare</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="159"/>
        <source>受理部门与咨询</source>
        <translation>Handling office and enquiries</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="166"/>
        <source>地点：%1</source>
        <translation>Office: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="170"/>
        <source>电话：%1</source>
        <translation>Phone: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="183"/>
        <source>办理前请先登录</source>
        <translation>Please log in to apply</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="193"/>
        <source>开始办理</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="193"/>
        <source>登录后办理</source>
        <translation>Log in to apply</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/GuidePage.qml" line="193"/>
        <source>返回填写</source>
        <translation>Back to the form</translation>
    </message>
</context>
<context>
    <name>GuideSummaryCard</name>
    <message>
        <location filename="../qml/Kiosk/components/GuideSummaryCard.qml" line="32"/>
        <source>请带：%1</source>
        <translation>Bring: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/GuideSummaryCard.qml" line="32"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/GuideSummaryCard.qml" line="32"/>
        <source>无需另外准备材料</source>
        <translation>Nothing else to bring</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/GuideSummaryCard.qml" line="34"/>
        <source>约 %1 个工作日</source>
        <translation>About %1 working days</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/GuideSummaryCard.qml" line="45"/>
        <source>办事指南</source>
        <translation>Service guide</translation>
    </message>
</context>
<context>
    <name>HallPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="41"/>
        <source>办事大厅</source>
        <translation>Service Hall</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="44"/>
        <source>共 %1 项服务</source>
        <translation>%1 services</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="44"/>
        <source>（离线副本）</source>
        <translation> (offline copy)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="56"/>
        <source>搜索服务：名称、拼音或首字母</source>
        <translation>Search: name, pinyin or initials</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="79"/>
        <source>服务首页</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="80"/>
        <source>服务中心 A–Z</source>
        <translation>All services A–Z</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="81"/>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="121"/>
        <source>我的草稿</source>
        <translation>My drafts</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="123"/>
        <source>推荐服务</source>
        <translation>Recommended</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="125"/>
        <source>热门服务</source>
        <translation>Popular</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="127"/>
        <source>服务分类</source>
        <translation>Categories</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="157"/>
        <source>%1 项</source>
        <translation>%1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="256"/>
        <source>%1 项服务</source>
        <translation>%1 services</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="274"/>
        <source>“%1”的搜索结果：%2 项</source>
        <translation>Results for &quot;%1&quot;: %2</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="275"/>
        <source>%1 · %2 项</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="301"/>
        <source>没有找到相关服务</source>
        <translation>No matching service</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="302"/>
        <source>换个说法试试，例如输入拼音首字母“xx”查找“休学”，或到“服务中心 A–Z”中浏览全部服务。</source>
        <translation>Try other words, e.g. the initials &quot;xx&quot; for 休学 (suspension of studies), or browse All services A–Z.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="312"/>
        <source>暂时无法获取办事目录</source>
        <translation>The service catalogue is unavailable right now</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="312"/>
        <source>正在获取办事目录…</source>
        <translation>Loading the service catalogue…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HallPage.qml" line="314"/>
        <source>网络未连接：%1。恢复后会自动重试，也可点右上角的状态重试。</source>
        <translation>No connection: %1. It retries automatically; tap the status at the top right to retry now.</translation>
    </message>
</context>
<context>
    <name>HeadlinesCard</name>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="12"/>
        <source>校园资讯</source>
        <translation>Campus news</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="14"/>
        <source>消息中心</source>
        <translation>Messages</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="21"/>
        <source>学校新闻</source>
        <translation>School news</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="21"/>
        <source>通知公告</source>
        <translation>Notices</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="21"/>
        <source>院系动态</source>
        <translation>Faculty news</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="22"/>
        <source>学术讲座</source>
        <translation>Lectures</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="22"/>
        <source>教学科研</source>
        <translation>Teaching &amp; research</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="57"/>
        <source>离线 · 内容更新于 %1</source>
        <translation>Offline · content as of %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="99"/>
        <source>暂无内容</source>
        <translation>Nothing yet</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="100"/>
        <source>离线，连接服务器后显示</source>
        <translation>Offline: shown once the server is reached</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/HeadlinesCard.qml" line="100"/>
        <source>正在获取…</source>
        <translation>Loading…</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="41"/>
        <source>首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="42"/>
        <source>您好，%1</source>
        <translation>Hello, %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="266"/>
        <source>正在获取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="43"/>
        <source>登录后显示您的待办、邮件、借阅与日程</source>
        <translation>Log in for your tasks, mail, loans and schedule</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="64"/>
        <source>未读邮件</source>
        <translation>Unread mail</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="65"/>
        <source>在借图书</source>
        <translation>Books on loan</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="66"/>
        <source>逾期图书</source>
        <translation>Overdue books</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="67"/>
        <source>待办</source>
        <translation>To do</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="86"/>
        <source>点击查看待办事宜</source>
        <translation>Tap to see your to-do list</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="113"/>
        <source>日程</source>
        <translation>Schedule</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="115"/>
        <source>日程中心</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="119"/>
        <source>每周会议</source>
        <translation>Weekly meetings</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="120"/>
        <source>个人日程</source>
        <translation>My schedule</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="121"/>
        <source>我的课表</source>
        <translation>My timetable</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="148"/>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="149"/>
        <source>本周暂无安排</source>
        <translation>Nothing this week</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="150"/>
        <source>今天 %1 项 · 本周 %2 项</source>
        <translation>%1 today · %2 this week</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="163"/>
        <source>全天</source>
        <translation>All day</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="181"/>
        <source>办事中心</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="183"/>
        <source>全部服务</source>
        <translation>All services</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="232"/>
        <source>资源中心</source>
        <translation>Resources</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="233"/>
        <source>应用中心</source>
        <translation>Apps</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="258"/>
        <source>单点登录</source>
        <translation>Single sign-on</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="258"/>
        <source>试用</source>
        <translation>Trial</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="266"/>
        <source>离线，连接服务器后显示</source>
        <translation>Offline: shown once the server is reached</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="81"/>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="146"/>
        <source>登录后显示</source>
        <translation>Shown after sign-in</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/HomePage.qml" line="50"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
</context>
<context>
    <name>IdleDialog</name>
    <message>
        <location filename="../qml/Kiosk/components/IdleDialog.qml" line="29"/>
        <source>还在吗？</source>
        <translation>Still there?</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/IdleDialog.qml" line="47"/>
        <source>%1 秒后将自动退出登录，并清除您在本机的所有信息。</source>
        <translation>In %1 s you will be signed out and everything of yours will be erased from this terminal.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/IdleDialog.qml" line="59"/>
        <source>继续</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/IdleDialog.qml" line="67"/>
        <source>退出登录</source>
        <translation>Sign out</translation>
    </message>
</context>
<context>
    <name>LinkQrDialog</name>
    <message>
        <location filename="../qml/Kiosk/components/LinkQrDialog.qml" line="53"/>
        <source>请用手机扫描二维码，在手机上继续访问</source>
        <translation>Scan the code with your phone to continue there</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/LinkQrDialog.qml" line="73"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="22"/>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="199"/>
        <source>请输入工号/学号</source>
        <translation>Enter your staff/student ID</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="23"/>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="222"/>
        <source>请输入密码</source>
        <translation>Enter your password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="84"/>
        <source>一站式办事大厅欢迎您！</source>
        <translation>Welcome to the One-stop Service Hall!</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="92"/>
        <source>全天候 零距离 · 少跑腿、多办事</source>
        <translation>Open around the clock · fewer trips, more done</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="102"/>
        <source>先看看办事指南</source>
        <translation>Browse service guides</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="127"/>
        <source>统一身份认证平台</source>
        <translation>Unified Identity Authentication</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="155"/>
        <source>此设备已被停用，请联系信息中心</source>
        <translation>This terminal has been disabled. Please contact the IT center.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="156"/>
        <source>此设备未登记，请联系信息中心</source>
        <translation>This terminal is not registered. Please contact the IT center.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="157"/>
        <source>设备登记失败：%1</source>
        <translation>Terminal registration failed: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="173"/>
        <source>账号登录</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="174"/>
        <source>扫码登录</source>
        <translation>QR login</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="204"/>
        <source>字母会自动转为大写</source>
        <translation>Letters are converted to upper case</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="246"/>
        <source>记住我（仅限个人办公电脑）</source>
        <translation>Remember me (personal office PC only)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="256"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="256"/>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="303"/>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="299"/>
        <source>已扫码</source>
        <translation>Scanned</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="300"/>
        <source>二维码已被他人扫描</source>
        <translation>Someone else scanned this code</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="301"/>
        <source>已在手机上取消</source>
        <translation>Cancelled on the phone</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="302"/>
        <source>暂时无法获取二维码</source>
        <translation>The QR code is unavailable right now</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="304"/>
        <source>正在获取二维码…</source>
        <translation>Getting a QR code…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="305"/>
        <source>%1，请在手机上点“确认登录”</source>
        <translation>%1, tap “确认登录” (Confirm) on your phone</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="309"/>
        <source>另一个账号也扫描了此二维码，已被拒绝。只有 %1 能在手机上确认登录。</source>
        <translation>Another account also scanned this code and was refused. Only %1 can confirm on their phone.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="318"/>
        <source>请用手机扫描二维码，并在手机上确认登录（%1 秒后自动刷新）</source>
        <translation>Scan the code with your phone and confirm there (new code in %1 s)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="320"/>
        <source>如非本人操作，请刷新二维码</source>
        <translation>Not you? Get a new QR code.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="321"/>
        <source>用手机扫描二维码，在手机上确认后即可登录本机</source>
        <translation>Scan the code with your phone and confirm there to sign in here</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="332"/>
        <source>刷新二维码</source>
        <translation>New QR code</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="350"/>
        <source>账号规则：用户名为学工号，如若学工号中包含字母，字母需为大写。</source>
        <translation>Account rule: the user name is your student/staff ID; letters in it must be upper case.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/LoginPage.qml" line="351"/>
        <source>密码规则：初始密码为身份证后6位，首次登录需要修改密码。</source>
        <translation>Password rule: the initial password is the last 6 characters of your national ID; change it at first login.</translation>
    </message>
</context>
<context>
    <name>MailPasswordCard</name>
    <message>
        <location filename="../qml/Kiosk/components/MailPasswordCard.qml" line="13"/>
        <source>邮箱授权码</source>
        <translation>Mail app password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/MailPasswordCard.qml" line="19"/>
        <source>请输入授权码</source>
        <translation>Enter the app password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/MailPasswordCard.qml" line="30"/>
        <source>首页的未读邮件用您邮箱的授权码读取。请在邮箱的设置中生成授权码后填写；授权码加密保存在学校服务器，本机不保留。</source>
        <translation>Unread mail on the home page is read with your mailbox&apos;s app password. Create one in your mailbox&apos;s settings and enter it here; it is stored encrypted on the school&apos;s server, never on this terminal.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/MailPasswordCard.qml" line="39"/>
        <source>已填写（%1）</source>
        <translation>Given (%1)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/MailPasswordCard.qml" line="40"/>
        <source>未填写：首页暂不显示未读邮件数</source>
        <translation>Not given: the home page cannot show unread mail</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/MailPasswordCard.qml" line="51"/>
        <source>输入新的授权码以更换</source>
        <translation>Enter a new app password to replace it</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/MailPasswordCard.qml" line="51"/>
        <source>请输入邮箱授权码</source>
        <translation>Enter your mailbox&apos;s app password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/MailPasswordCard.qml" line="69"/>
        <source>正在提交…</source>
        <translation>Submitting…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/MailPasswordCard.qml" line="69"/>
        <source>保存授权码</source>
        <translation>Save app password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/MailPasswordCard.qml" line="78"/>
        <source>删除授权码</source>
        <translation>Remove app password</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/Kiosk/Main.qml" line="16"/>
        <source>融合门户 · 一站式办事大厅</source>
        <translation>Campus Portal · One-stop Service Hall</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Main.qml" line="120"/>
        <source>已保存，待同步</source>
        <translation>Saved, waiting to sync</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Main.qml" line="120"/>
        <source>保存失败，请重试</source>
        <translation>Could not save, please try again</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Main.qml" line="128"/>
        <source>未能办理%1：%2</source>
        <translation>Could not handle %1: %2</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Main.qml" line="135"/>
        <source>已在浏览器中打开“%1”，请在其页面登录（%2）</source>
        <translation>Opened “%1” in the browser; please log in there (%2)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Main.qml" line="136"/>
        <source>已在浏览器中打开“%1”</source>
        <translation>Opened “%1” in the browser</translation>
    </message>
</context>
<context>
    <name>MessagesPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="21"/>
        <source>办事通知</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="21"/>
        <source>全部新闻</source>
        <translation>All news</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="21"/>
        <source>通知公告</source>
        <translation>Notices</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="22"/>
        <source>学校新闻</source>
        <translation>School news</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="22"/>
        <source>科研动态</source>
        <translation>Research news</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="22"/>
        <source>学工动态</source>
        <translation>Student affairs</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="23"/>
        <source>门户通知</source>
        <translation>Portal notices</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="41"/>
        <source>消息中心</source>
        <translation>Message centre</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="42"/>
        <source>办事通知 · %1 条未读</source>
        <translation>Notifications · %1 unread</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="43"/>
        <source>找到 %1 条</source>
        <translation>%1 found</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="44"/>
        <source>共 %1 条</source>
        <translation>%1 items</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="49"/>
        <source>全部标为已读</source>
        <translation>Mark all as read</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="60"/>
        <source>搜索标题或摘要</source>
        <translation>Search titles and summaries</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="92"/>
        <source>离线 · 内容更新于 %1</source>
        <translation>Offline · content as of %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="121"/>
        <source>没有找到与“%1”相关的内容</source>
        <translation>Nothing found for “%1”</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="122"/>
        <source>暂无内容</source>
        <translation>Nothing yet</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="122"/>
        <source>离线，连接服务器后显示</source>
        <translation>Offline: shown once the server is reached</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/MessagesPage.qml" line="209"/>
        <source>暂无办事通知</source>
        <translation>No notifications</translation>
    </message>
</context>
<context>
    <name>NavBar</name>
    <message>
        <location filename="../qml/Kiosk/components/NavBar.qml" line="25"/>
        <source>首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NavBar.qml" line="26"/>
        <source>办事大厅</source>
        <translation>Service Hall</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NavBar.qml" line="27"/>
        <source>日程</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NavBar.qml" line="28"/>
        <source>消息</source>
        <translation>Messages</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NavBar.qml" line="29"/>
        <source>我的</source>
        <translation>Me</translation>
    </message>
</context>
<context>
    <name>NewsRow</name>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="19"/>
        <source>一月</source>
        <translation>Jan</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="19"/>
        <source>二月</source>
        <translation>Feb</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="19"/>
        <source>三月</source>
        <translation>Mar</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="19"/>
        <source>四月</source>
        <translation>Apr</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="19"/>
        <source>五月</source>
        <translation>May</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="20"/>
        <source>六月</source>
        <translation>Jun</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="20"/>
        <source>七月</source>
        <translation>Jul</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="20"/>
        <source>八月</source>
        <translation>Aug</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="20"/>
        <source>九月</source>
        <translation>Sep</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="20"/>
        <source>十月</source>
        <translation>Oct</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="20"/>
        <source>十一月</source>
        <translation>Nov</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="20"/>
        <source>十二月</source>
        <translation>Dec</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="27"/>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="92"/>
        <source>未读</source>
        <translation>Unread</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NewsRow.qml" line="73"/>
        <source>发布时间：%1</source>
        <translation>Published: %1</translation>
    </message>
</context>
<context>
    <name>NotifySettingsCard</name>
    <message>
        <location filename="../qml/Kiosk/components/NotifySettingsCard.qml" line="12"/>
        <source>通知设置</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NotifySettingsCard.qml" line="17"/>
        <source>站内消息总会送达，以下选择是否同时发送邮件。</source>
        <translation>Messages always arrive in the app; choose what is also sent by e-mail.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NotifySettingsCard.qml" line="26"/>
        <source>待办邮件</source>
        <translation>E-mail for to-dos</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NotifySettingsCard.qml" line="27"/>
        <source>有新的待办或催办时发邮件</source>
        <translation>When a new to-do arrives or one is urged</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NotifySettingsCard.qml" line="34"/>
        <source>办理结果邮件</source>
        <translation>E-mail for results</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/NotifySettingsCard.qml" line="35"/>
        <source>申请办结、被驳回或退回时发邮件</source>
        <translation>When an application is completed, rejected or returned</translation>
    </message>
</context>
<context>
    <name>PageHeader</name>
    <message>
        <location filename="../qml/Kiosk/components/PageHeader.qml" line="21"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>ParkedOpsCard</name>
    <message>
        <location filename="../qml/Kiosk/components/ParkedOpsCard.qml" line="30"/>
        <source>%1 项操作暂停同步：服务器多次处理失败，其余操作照常同步</source>
        <translation>%1 operation(s) paused: the server failed on them repeatedly; everything else keeps syncing</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ParkedOpsCard.qml" line="40"/>
        <source>全部重试</source>
        <translation>Retry all</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ParkedOpsCard.qml" line="53"/>
        <source>：%1</source>
        <translation>: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ParkedOpsCard.qml" line="62"/>
        <source>放弃</source>
        <translation>Give up</translation>
    </message>
</context>
<context>
    <name>ProcessDelegate</name>
    <message>
        <location filename="../qml/Kiosk/components/ProcessDelegate.qml" line="80"/>
        <source>取消收藏</source>
        <translation>Remove from favourites</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ProcessDelegate.qml" line="80"/>
        <source>收藏</source>
        <translation>Add to favourites</translation>
    </message>
</context>
<context>
    <name>ProfilePage</name>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="41"/>
        <source>我的</source>
        <translation>Me</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="42"/>
        <source>个人中心：个人信息、我的申请与登录设备</source>
        <translation>Personal centre: your profile, applications and signed-in devices</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="54"/>
        <source>登录后查看个人中心</source>
        <translation>Sign in to see your personal centre</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="60"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="106"/>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="122"/>
        <source>我的申请（%1）</source>
        <translation>My applications (%1)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="129"/>
        <source>我的收藏（%1）</source>
        <translation>My favourites (%1)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="151"/>
        <source>我的登录设备</source>
        <translation>My signed-in devices</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="191"/>
        <source>（本机）</source>
        <translation> (this device)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="198"/>
        <source>最近使用 %1</source>
        <translation>Last used %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="207"/>
        <source>退出该设备</source>
        <translation>Sign out there</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="219"/>
        <source>退出登录</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/ProfilePage.qml" line="227"/>
        <source>关于：融合门户客户端 %1 · 构建 %2</source>
        <translation>About: Campus Kiosk client %1 · build %2</translation>
    </message>
</context>
<context>
    <name>ReminderBanner</name>
    <message>
        <location filename="../qml/Kiosk/components/ReminderBanner.qml" line="43"/>
        <source>日程提醒：%1</source>
        <translation>Reminder: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/ReminderBanner.qml" line="61"/>
        <source>知道了</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>ReturnNoteCard</name>
    <message>
        <location filename="../qml/Kiosk/components/ReturnNoteCard.qml" line="19"/>
        <source>请按批注修改后重新提交。</source>
        <translation>Please revise as annotated and resubmit.</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../qml/Kiosk/components/SignaturePad.qml" line="26"/>
        <source>请在此处签名</source>
        <translation>Sign here</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SignaturePad.qml" line="78"/>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
</context>
<context>
    <name>StatusIndicator</name>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="43"/>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="38"/>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="39"/>
        <source>连接中…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="41"/>
        <source>首次同步 %1%</source>
        <translation>First sync %1%</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="42"/>
        <source>同步中…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="44"/>
        <source> · %1 项待同步</source>
        <translation> · %1 waiting to sync</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="45"/>
        <source> · %1 项暂停同步</source>
        <translation> · %1 paused</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/StatusIndicator.qml" line="46"/>
        <source> · 上次同步 %1</source>
        <translation> · Last sync %1</translation>
    </message>
</context>
<context>
    <name>SubmitConfirmDialog</name>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="29"/>
        <source>确认重新提交？</source>
        <translation>Resubmit?</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="29"/>
        <source>确认提交？</source>
        <translation>Submit now?</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="38"/>
        <source>修改后的“%1”将重新进入审批流程。</source>
        <translation>The revised “%1” goes through the approval process again.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="39"/>
        <source>提交“%1”后将进入审批流程，提交后不能再修改表单内容。</source>
        <translation>Once submitted, &quot;%1&quot; goes for approval and the form can no longer be changed.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="51"/>
        <source>完成本操作后，流程将转到：%1</source>
        <translation>After this, the application goes to: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="67"/>
        <source>任一办理人（最快）</source>
        <translation>Any handler (fastest)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="76"/>
        <source>办理人 %1</source>
        <translation>Handler: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="88"/>
        <source>不必选择：由先有空的办理人办理。选择某位办理人后，只交给他一人办理。</source>
        <translation>No need to choose: whoever is free first handles it. If you choose someone, only they will handle it.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="89"/>
        <source>该步骤只有这一位办理人，已为您选好。</source>
        <translation>This step has only this handler, already chosen for you.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="101"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmitConfirmDialog.qml" line="108"/>
        <source>好</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>SubmittedCard</name>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="42"/>
        <source>已重新提交</source>
        <translation>Resubmitted</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="42"/>
        <source>提交成功</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="43"/>
        <source>提交未被受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="43"/>
        <source>已保存，待同步</source>
        <translation>Saved, waiting to sync</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="56"/>
        <source>流水号 %1%2。可在“我的申请”中查看办理进度。</source>
        <translation>Serial no. %1%2. Follow its progress under My applications.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="57"/>
        <source>，单号 %1</source>
        <translation>, document no. %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="59"/>
        <source>申请已保存在本机，联网后自动提交到学校；退出登录也不会丢失。</source>
        <translation>Your application is saved on this terminal and will be sent to the school automatically once online; logging out will not lose it.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="85"/>
        <source>接下来</source>
        <translation>What happens next</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="95"/>
        <source>下一步：%1（办理人 %2）</source>
        <translation>Next step: %1 (handler: %2)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="97"/>
        <source>下一步：%1（由先有空的办理人办理）</source>
        <translation>Next step: %1 (whoever is free first handles it)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="98"/>
        <source>下一步：%1</source>
        <translation>Next step: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="103"/>
        <source>约 %1 个工作日办好，办好后会在“消息”和“我的申请”中通知您。</source>
        <translation>Done in about %1 working days; you will be told in Messages and My applications.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="104"/>
        <source>办好后会在“消息”和“我的申请”中通知您。</source>
        <translation>You will be told in Messages and My applications when it is done.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="109"/>
        <source>办理地点：%1 %2</source>
        <translation>Where: %1 %2</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="114"/>
        <source>请带：%1</source>
        <translation>Bring: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="114"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SubmittedCard.qml" line="122"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>SwitchRow</name>
    <message>
        <location filename="../qml/Kiosk/components/SwitchRow.qml" line="51"/>
        <source>开</source>
        <translation>On</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SwitchRow.qml" line="51"/>
        <source>关</source>
        <translation>Off</translation>
    </message>
</context>
<context>
    <name>SyncBadge</name>
    <message>
        <location filename="../qml/Kiosk/components/SyncBadge.qml" line="38"/>
        <source>被拒绝：%1</source>
        <translation>Rejected: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SyncBadge.qml" line="38"/>
        <source>被拒绝</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SyncBadge.qml" line="39"/>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SyncBadge.qml" line="40"/>
        <source>待同步</source>
        <translation>Waiting to sync</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/SyncBadge.qml" line="40"/>
        <source>同步暂停</source>
        <translation>Sync paused</translation>
    </message>
</context>
<context>
    <name>TasksPage</name>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="69"/>
        <source>我的办件</source>
        <translation>My work</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="70"/>
        <source>待办 %1 · 已办 %2 · 我的申请 %3</source>
        <translation>To do %1 · Done %2 · Mine %3</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="80"/>
        <source>待办事宜</source>
        <translation>To do</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="81"/>
        <source>已办事宜</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="82"/>
        <source>我的申请</source>
        <translation>My applications</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="109"/>
        <source>全部服务</source>
        <translation>All services</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="123"/>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="153"/>
        <source>搜索姓名、学号、流水号</source>
        <translation>Search name, ID, serial no.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="167"/>
        <source>全部步骤</source>
        <translation>All steps</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="181"/>
        <source>按等待时间</source>
        <translation>By waiting time</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="181"/>
        <source>按提交时间</source>
        <translation>By submission time</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="182"/>
        <source>按截止时间</source>
        <translation>By due time</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="182"/>
        <source>按申请人</source>
        <translation>By applicant</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="183"/>
        <source>按流水号</source>
        <translation>By serial no.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="183"/>
        <source>按事项</source>
        <translation>By service</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="191"/>
        <source>降序</source>
        <translation>Descending</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="191"/>
        <source>升序</source>
        <translation>Ascending</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="197"/>
        <source>共 %1 件</source>
        <translation>%1 items</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="197"/>
        <source>，已选 %1 件</source>
        <translation>, %1 selected</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="206"/>
        <source>全选</source>
        <translation>Select all</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="215"/>
        <source>批量通过</source>
        <translation>Approve selected</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="217"/>
        <source>通过所选的每一件（Ctrl+Shift+Enter）；需要填写或选择的请逐件办理</source>
        <translation>Approve each selected item (Ctrl+Shift+Enter); items that need input are handled one by one</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="267"/>
        <source>没有待办事宜</source>
        <translation>Nothing to do</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="267"/>
        <source>还没有已办事宜</source>
        <translation>Nothing handled yet</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/pages/TasksPage.qml" line="268"/>
        <source>还没有发起过申请</source>
        <translation>No applications yet</translation>
    </message>
</context>
<context>
    <name>TimeField</name>
    <message>
        <location filename="../qml/Kiosk/components/TimeField.qml" line="14"/>
        <source>请选择时间</source>
        <translation>Choose a time</translation>
    </message>
</context>
<context>
    <name>TimePickerPopup</name>
    <message>
        <location filename="../qml/Kiosk/components/TimePickerPopup.qml" line="68"/>
        <source>时</source>
        <translation>Hour</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/TimePickerPopup.qml" line="91"/>
        <source>分</source>
        <translation>Minute</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/TimePickerPopup.qml" line="117"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/TimePickerPopup.qml" line="121"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../qml/Kiosk/components/TopBar.qml" line="55"/>
        <source>融合门户 · 一站式办事大厅</source>
        <translation>Campus Portal · One-stop Service Hall</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/TopBar.qml" line="81"/>
        <source>北京时间</source>
        <translation>Beijing time</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/TopBar.qml" line="81"/>
        <source>校园时间</source>
        <translation>Campus time</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/TopBar.qml" line="107"/>
        <source>通知，%1 条未读</source>
        <translation>Notifications, %1 unread</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/TopBar.qml" line="174"/>
        <source>退出</source>
        <translation>Sign out</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../qml/Kiosk/components/UndoBar.qml" line="43"/>
        <source>已不予办理 %1 件</source>
        <translation>Declined %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/UndoBar.qml" line="44"/>
        <source>已终止 %1 件</source>
        <translation>Terminated %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/UndoBar.qml" line="45"/>
        <source>已通过 %1 件</source>
        <translation>Approved %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/UndoBar.qml" line="46"/>
        <source>，%1 秒后发送</source>
        <translation>, sending in %1 s</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/UndoBar.qml" line="56"/>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/UndoBar.qml" line="58"/>
        <source>撤销（Ctrl+Z）</source>
        <translation>Undo (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/UndoBar.qml" line="65"/>
        <source>立即发送</source>
        <translation>Send now</translation>
    </message>
</context>
<context>
    <name>WorkItemRow</name>
    <message>
        <location filename="../qml/Kiosk/components/WorkItemRow.qml" line="76"/>
        <source>流水号 %1</source>
        <translation>Serial no. %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/WorkItemRow.qml" line="89"/>
        <source>处理中…</source>
        <translation>Processing…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/WorkItemRow.qml" line="20"/>
        <source>等待 %1</source>
        <translation>waiting %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/WorkItemRow.qml" line="21"/>
        <source>刚到</source>
        <translation>just in</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/WorkItemRow.qml" line="91"/>
        <source>提交 %1</source>
        <translation>Submitted %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/WorkItemRow.qml" line="101"/>
        <source>已超时 · </source>
        <translation>Overdue · </translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/WorkItemRow.qml" line="101"/>
        <source>截止 %1</source>
        <translation>Due %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/WorkItemRow.qml" line="116"/>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/components/WorkItemRow.qml" line="119"/>
        <source>通过（Ctrl+Enter）</source>
        <translation>Approve (Ctrl+Enter)</translation>
    </message>
</context>
</TS>
