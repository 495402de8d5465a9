pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// A choice as chips to tap: one option (radio, a short select) or, `multiple`, any of them (checkboxes).
Flow {
    id: root
    required property var options  // the options' words
    required property var value    // the option chosen, or (multiple) the list of them
    property var labels: []        // what each option shows, when it is not the option itself (English mode)
    property bool multiple: false
    signal chosen(var choice)      // the new value: an option, or (multiple) the list with one option toggled

    spacing: Theme.spacing
    Repeater {
        model: root.options
        delegate: ChoiceChip {
            required property string modelData
            required property int index
            objectName: "choice_" + modelData  // named by the option, whatever language it shows in
            multiple: root.multiple
            text: root.labels[index] || modelData
            checked: root.multiple ? (root.value || []).indexOf(modelData) >= 0 : root.value === modelData
            onToggled: {
                if (!root.multiple) {
                    root.chosen(modelData)
                    return
                }
                const current = (root.value || []).slice()
                const at = current.indexOf(modelData)
                if (at >= 0) current.splice(at, 1); else current.push(modelData)
                root.chosen(current)
            }
        }
    }
}
