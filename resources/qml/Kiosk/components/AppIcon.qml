pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// A Tabler icon from resources/icons, tinted through the `icon` image provider.
Image {
    id: root
    required property string name
    property color color: Theme.text
    property int size: Theme.iconSize

    width: size
    height: size
    sourceSize.width: size
    sourceSize.height: size
    source: name.length > 0 ? "image://icon/" + name + "?color=" + encodeURIComponent(root.color.toString()) : ""
    fillMode: Image.PreserveAspectFit
    asynchronous: false
    smooth: true
}
